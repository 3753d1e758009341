// Astro configuration of the dashboards (accounts, beneficiary editor, officer review, helpdesk).
// They render on demand inside the `npm start` process through @astrojs/node in middleware mode,
// so this build is separate from the static public site of `astro.config.mjs`, whose `dist/`
// stays a plain folder. `scripts/dashboard.ts` runs this build and mounts the handler.
import node from "@astrojs/node";
import { defineConfig } from "astro/config";
import vendorAssets from "./site/integrations/vendor-assets.ts";

export default defineConfig({
  srcDir: "./site/dashboard",
  publicDir: "./public",
  // `scripts/dashboard.ts` builds into a fresh folder each time, so concurrent builds never
  // write into the folder a running server loads its page chunks from.
  outDir: process.env.DASHBOARD_OUT_DIR ?? "./.build/dashboard/manual",
  cacheDir: process.env.DASHBOARD_CACHE_DIR ?? "./.astro/dashboard-cache",
  output: "server",
  adapter: node({ mode: "middleware" }),
  build: {
    // Bundled scripts and styles go under /_dashboard/, apart from the public site's /_astro/.
    assets: "_dashboard",
    // Stylesheets and scripts stay external files, so the Content-Security-Policy can forbid
    // inline ones.
    inlineStylesheets: "never",
  },
  vite: { build: { assetsInlineLimit: 0 } },
  // Astro's own origin check compares with the Host it trusts, which is "localhost" unless
  // `security.allowedDomains` lists the host at build time. Every form post of these pages ends
  // in an editor API write, and the API checks Origin against PUBLIC_URL and the session's CSRF
  // token, so the check stays there.
  security: { checkOrigin: false },
  compressHTML: false,
  devToolbar: { enabled: false },
  // The vendor files (ECL styles, icons, fonts) land in the client folder too, so the
  // dashboards look the same when the public site is not built yet.
  integrations: [vendorAssets()],
});
