/**
 * `npm start`: the local stack. `npm start -- --demo` runs one full cycle of every connector and
 * exits 0 only when the synced state matches the source data. `--help` lists the options.
 */
import { parseArgs } from "node:util";
import { formatChecks, runDemo } from "./demo";
import { renderProgress } from "./progress";
import { type LocalStack, startLocalStack } from "./stack";

const HELP = `Usage: npm start -- [options]

  --demo                  seed, run one full cycle of every connector, print a summary, exit 0 only if all checks pass
  --settings <path>       local settings (ports, sandboxes, secrets); default local-stack/local.json
  --config <path>         deploy config; default from the settings (deploy.config.json)
  --schedule-every <s>    fire schedules every <s> seconds instead of their real rate
  --ephemeral-ports       pick free ports instead of the ones in the settings
  --no-progress           no live table (a line every 10 s instead)
  --help`;

const main = async (): Promise<number> => {
  const { values } = parseArgs({
    options: {
      demo: { type: "boolean", default: false },
      settings: { type: "string" },
      config: { type: "string" },
      "schedule-every": { type: "string" },
      "ephemeral-ports": { type: "boolean", default: false },
      "no-progress": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  // Quiet function logs on the terminal: the progress table is the display; warnings still show.
  process.env.POWERTOOLS_LOG_LEVEL ??= values.demo ? "ERROR" : "WARN";
  process.env.POWERTOOLS_METRICS_DISABLED ??= "true";

  const started = Date.now();
  let stack: LocalStack;
  try {
    stack = await startLocalStack({
      ...(values.settings ? { settingsPath: values.settings } : {}),
      ...(values.config ? { deployConfigPath: values.config } : {}),
      ephemeralPorts: values["ephemeral-ports"],
      ...(values["schedule-every"] ? { scheduleEverySeconds: Number(values["schedule-every"]) } : {}),
      // The demo sends its own windows; retries come back within a second so the cycle is short.
      ...(values.demo ? { fireSchedulesAtStart: false, backoffBaseSeconds: 0 } : {}),
    });
  } catch (error) {
    const message = (error as Error).message;
    console.error(`local stack could not start: ${message}`);
    if (/EADDRINUSE/.test(message)) console.error("a port in local-stack/local.json is taken: free it, change it, or use --ephemeral-ports");
    return 1;
  }
  const { endpoints } = stack;
  console.log(`local stack up in ${Date.now() - started} ms (all on 127.0.0.1)`);
  console.log(`  SQS (fauxqs)       ${endpoints.sqsEndpoint}`);
  console.log(`  Secrets Manager    ${endpoints.secretsManagerEndpoint}`);
  for (const [name, url] of Object.entries(endpoints.sandboxes)) console.log(`  ${`${name} sandbox`.padEnd(18)} ${url}`);
  if (endpoints.webhookUrl) console.log(`  webhook ingress    ${endpoints.webhookUrl}`);
  console.log(`  connectors         ${stack.connectors.map((c) => `${c.resolved.integration}/${c.resolved.connector}`).join(", ")}`);

  if (values.demo) {
    let code = 1;
    try {
      const checks = await runDemo(stack, (line) => console.log(`demo: ${line}`));
      console.log(`\n${await renderProgress(stack)}\n\n${formatChecks(checks)}\n`);
      const failed = checks.filter((c) => !c.ok).length;
      console.log(failed === 0 ? `demo: all ${checks.length} checks passed` : `demo: ${failed} of ${checks.length} checks failed`);
      code = failed === 0 ? 0 : 1;
    } catch (error) {
      console.error(`demo failed: ${(error as Error).message}`);
    }
    await stack.stop();
    return code;
  }

  console.log("\nCtrl-C stops. Try: npm run ops -- --local status\n");
  const tty = process.stdout.isTTY && !values["no-progress"];
  let lines = 0;
  const tick = async () => {
    const table = await renderProgress(stack);
    if (tty) {
      if (lines > 0) process.stdout.write(`\x1b[${lines}A\x1b[0J`);
      process.stdout.write(`${table}\n`);
      lines = table.split("\n").length;
    } else console.log(table);
  };
  const timer = setInterval(() => void tick().catch(() => undefined), tty ? 1_000 : 10_000);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  clearInterval(timer);
  console.log("\nstopping");
  await stack.stop();
  return 0;
};

process.exitCode = await main();
