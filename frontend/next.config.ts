// Next.js configuration: a static export that the C++ server serves from the same origin.
import type { NextConfig } from "next";

// `npm run dev` serves pages from Next's dev server; API calls go on to a running backend
// (OTQ_API_URL, default http://localhost:8080), so the browser still sees one origin. A static
// export has no server, hence no rewrites in production: there the C++ server serves both.
const devApi = process.env.OTQ_API_URL ?? "http://localhost:8080";
const isDev = process.env.NODE_ENV === "development";

const nextConfig: NextConfig = {
  // `next build` writes plain files to out/; there is no Node server in production.
  output: isDev ? undefined : "export",
  // The image optimizer needs a server; a static export serves images as they are.
  images: { unoptimized: true },
  // /pricing is written as pricing.html, which the server resolves without a redirect.
  trailingSlash: false,
  reactStrictMode: true,
  poweredByHeader: false,
  // The stylesheet stays one cached file (about 9 KB gzip). Inlining it (experimental.inlineCss) put
  // it into every page twice, once as <style> and once in the RSC payload: 135 KB of HTML for / instead
  // of 25 KB, more parsing before hydration, and no reuse between pages. Measured in docs/benchmarks.md.
  ...(isDev && {
    async rewrites() {
      return [{ source: "/api/v1/:path*", destination: `${devApi}/api/v1/:path*` }];
    },
  }),
};

export default nextConfig;
