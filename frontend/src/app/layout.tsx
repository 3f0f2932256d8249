// Root layout: document shell, metadata, global styles, and the skip link every page shares.
import type { Metadata } from "next";
import type { ReactNode } from "react";

import "./globals.css";

export const metadata: Metadata = {
  title: { default: "OmniTrackIQ", template: "%s · OmniTrackIQ" },
  description:
    "Ad spend and orders in one place: blended ROAS, MER, CAC and AOV for Shopify brands and the agencies that run their ads.",
};

export default function RootLayout({ children }: Readonly<{ children: ReactNode }>) {
  return (
    <html lang="en">
      <body className="flex min-h-dvh flex-col">
        <a
          href="#main-content"
          className="sr-only focus:not-sr-only focus:fixed focus:top-3 focus:left-3 focus:z-50 focus:rounded-md focus:bg-card focus:px-4 focus:py-2 focus:text-sm focus:font-medium focus:shadow-lg focus:outline-2 focus:outline-ring"
        >
          Skip to content
        </a>
        {children}
      </body>
    </html>
  );
}
