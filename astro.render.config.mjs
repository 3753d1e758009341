// Astro configuration of the page renderer for incremental publication. It builds the public
// site of `astro.config.mjs` as an on-demand bundle (@astrojs/node, middleware mode), so that
// `pipeline/build/incremental.ts` renders single pages in process and writes them into the
// served static folder. Every option that shapes the markup equals the static build's.
import node from "@astrojs/node";
import { defineConfig } from "astro/config";
import vendorAssets from "./site/integrations/vendor-assets.ts";

export default defineConfig({
  site: process.env.SITE_URL ?? "http://127.0.0.1:4321",
  srcDir: "./site",
  publicDir: "./public",
  outDir: process.env.RENDER_OUT_DIR ?? "./.build/renderer/manual",
  cacheDir: process.env.RENDER_CACHE_DIR ?? "./.astro/renderer-cache",
  output: "server",
  adapter: node({ mode: "middleware" }),
  trailingSlash: "always",
  compressHTML: false,
  build: {
    format: "directory",
    inlineStylesheets: "never",
  },
  devToolbar: { enabled: false },
  integrations: [vendorAssets()],
});
