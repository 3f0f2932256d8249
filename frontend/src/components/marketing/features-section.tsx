// What a brand or an agency gets, one short paragraph each.
const features = [
  {
    title: "Meta Ads and Shopify, synced hourly",
    body: "Spend, orders, refunds and customers arrive on their own, with recent days re-pulled as platforms restate them.",
  },
  {
    title: "Your time zone, your currency",
    body: "Every range is read in the account's reporting time zone; other currencies convert at dated rates.",
  },
  {
    title: "This period against the last",
    body: "Each KPI shows its change against the previous period of equal length, in absolute and relative terms.",
  },
  {
    title: "Campaigns that pay",
    body: "Spend, clicks, CTR, CPC, CPM and platform ROAS per campaign, next to what your store actually sold.",
  },
  {
    title: "Built for agencies",
    body: "One login for many client accounts, with roles and white-label reports sent to each client.",
  },
  {
    title: "Open to your stack",
    body: "A REST API, importable n8n workflows and warehouse export, so the numbers go where your team works.",
  },
] as const;

export function FeaturesSection() {
  return (
    <section aria-labelledby="features-heading" id="features" className="mx-auto max-w-6xl scroll-mt-8 px-4 py-16 sm:px-6">
      <h2 id="features-heading" className="text-2xl font-bold tracking-tight sm:text-3xl">
        Everything a growth team checks on Monday morning
      </h2>
      <ul className="mt-8 grid grid-cols-1 gap-6 sm:grid-cols-2 lg:grid-cols-3">
        {features.map((feature) => (
          <li key={feature.title} className="rounded-lg border border-border bg-card p-6">
            <h3 className="font-semibold">{feature.title}</h3>
            <p className="mt-2 text-sm text-muted-foreground">{feature.body}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
