export { putProduct, seedDemoData, seedProducts, seedReferenceData } from "./demo";
export type { SeedProduct } from "./demo";
