import { defineConfig } from "vitest/config";
import { MUTATION_MODULES } from "./modules.mjs";
import base from "../vitest.config";

/** The project's vitest config, limited to the test files of the module being mutated. */
const name = process.env.MUTATE_MODULE ?? "shared/secrets";
const module = (MUTATION_MODULES as Record<string, { tests: string[] }>)[name];

export default defineConfig({
  test: {
    ...base.test,
    include: module?.tests ?? [],
    reporters: ["default"],
  },
});
