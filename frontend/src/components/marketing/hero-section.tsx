// Homepage hero: what OmniTrackIQ is, for whom, and the call to action.
import { ButtonLink } from "@/components/ui/button";

export function HeroSection() {
  return (
    <section aria-labelledby="hero-heading" className="mx-auto max-w-6xl px-4 pt-16 pb-12 sm:px-6 sm:pt-24">
      <p className="text-sm font-semibold tracking-wide text-accent-foreground uppercase">
        Marketing analytics for Shopify brands and agencies
      </p>
      <h1
        id="hero-heading"
        className="mt-3 max-w-3xl text-4xl font-bold tracking-tight text-balance sm:text-5xl lg:text-6xl"
      >
        All your ad spend and orders in one place
      </h1>
      <p className="mt-6 max-w-2xl text-lg text-pretty text-muted-foreground">
        OmniTrackIQ joins what you spend on ads with what your store sells, so you see blended ROAS, MER, CAC and AOV
        in your own time zone and currency, this week against last, without a spreadsheet.
      </p>
      <div className="mt-8 flex flex-col gap-3 sm:flex-row">
        <ButtonLink href="/signup" size="lg" prefetch={false}>
          Start free
        </ButtonLink>
        <ButtonLink href="#features" variant="secondary" size="lg" prefetch={false}>
          See what you get
        </ButtonLink>
      </div>
    </section>
  );
}
