// /signup: the page title (the form itself is a client component).
import type { Metadata } from "next";
import type { ReactNode } from "react";

export const metadata: Metadata = { title: "Create your account" };

export default function Layout({ children }: Readonly<{ children: ReactNode }>) {
  return children;
}
