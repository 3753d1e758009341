// Astro configuration of the public catalogue. `pipeline/build` runs `astro build` with
// SITE_OUT_DIR set to a fresh staging folder, and CONTENT_DIR / CATALOGUE_INDEX naming the cards.
import { defineConfig } from "astro/config";
import vendorAssets from "./site/integrations/vendor-assets.ts";

export default defineConfig({
  site: process.env.SITE_URL ?? "http://127.0.0.1:4321",
  srcDir: "./site",
  publicDir: "./public",
  outDir: process.env.SITE_OUT_DIR ?? "./dist",
  cacheDir: process.env.SITE_CACHE_DIR ?? "./.astro/cache",
  output: "static",
  trailingSlash: "always",
  // Whitespace between elements stays: Astro 7's default ("jsx") removes it, and Pagefind then
  // indexes a term and its value as one word ("ProgrammeErasmus+").
  compressHTML: false,
  build: {
    format: "directory",
    // Stylesheets stay external files, so the server's Content-Security-Policy can forbid inline
    // styles.
    inlineStylesheets: "never",
  },
  devToolbar: { enabled: false },
  integrations: [vendorAssets()],
});
