// Next.js configuration: a static export that the C++ server serves from the same origin.
import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // `next build` writes plain files to out/; there is no Node server in production.
  output: "export",
  // The image optimizer needs a server; a static export serves images as they are.
  images: { unoptimized: true },
  // /pricing is written as pricing.html, which the server resolves without a redirect.
  trailingSlash: false,
  reactStrictMode: true,
  poweredByHeader: false,
};

export default nextConfig;
