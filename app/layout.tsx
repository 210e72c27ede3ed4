import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "leadhook", template: "%s · leadhook" },
  description: "Lead Update Callbacks for AI calling campaigns",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:rounded focus:bg-white focus:px-3 focus:py-2"
        >
          Skip to content
        </a>
        <header className="border-b border-slate-200 bg-white">
          <nav aria-label="Main" className="mx-auto flex max-w-5xl items-center gap-6 px-6 py-3">
            <Link href="/processes" className="text-lg font-bold tracking-tight text-brand-700">
              leadhook
            </Link>
            <Link href="/processes" className="text-sm font-medium text-slate-700 hover:text-slate-900">
              Processes
            </Link>
            <Link
              href="/settings/api-keys"
              className="text-sm font-medium text-slate-700 hover:text-slate-900"
            >
              API Keys
            </Link>
          </nav>
        </header>
        <main id="main" className="mx-auto max-w-5xl px-6 py-8">
          {children}
        </main>
      </body>
    </html>
  );
}
