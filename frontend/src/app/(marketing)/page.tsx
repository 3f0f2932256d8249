// Homepage at /: composes the marketing sections; no logic of its own.
import { FeaturesSection } from "@/components/marketing/features-section";
import { HeroSection } from "@/components/marketing/hero-section";
import { MetricsStrip } from "@/components/marketing/metrics-strip";
import { PricingSection } from "@/components/marketing/pricing-section";

export default function HomePage() {
  return (
    <>
      <HeroSection />
      <MetricsStrip />
      <FeaturesSection />
      <PricingSection />
    </>
  );
}
