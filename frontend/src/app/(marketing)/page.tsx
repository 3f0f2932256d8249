// Homepage at /: composes the marketing sections; no logic of its own.
import { FeaturesSection } from "@/components/marketing/features-section";
import { HeroSection } from "@/components/marketing/hero-section";
import { MetricsStrip } from "@/components/marketing/metrics-strip";

export default function HomePage() {
  return (
    <>
      <HeroSection />
      <MetricsStrip />
      <FeaturesSection />
    </>
  );
}
