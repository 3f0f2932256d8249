// The four numbers the product is built around, with the definitions the backend computes them by.
const metrics = [
  { name: "Blended ROAS", formula: "Revenue ÷ ad spend", detail: "Every order against every platform's spend." },
  { name: "MER", formula: "Net revenue ÷ ad spend", detail: "Refunds taken out, so returns don't flatter you." },
  { name: "CAC", formula: "Ad spend ÷ new customers", detail: "Only customers whose first ever order it was." },
  { name: "AOV", formula: "Revenue ÷ orders", detail: "Cancelled and test orders excluded." },
] as const;

export function MetricsStrip() {
  return (
    <section aria-labelledby="metrics-heading" className="border-y border-border bg-muted">
      <div className="mx-auto max-w-6xl px-4 py-10 sm:px-6">
        <h2 id="metrics-heading" className="sr-only">
          Metrics OmniTrackIQ reports
        </h2>
        <dl className="grid grid-cols-1 gap-6 sm:grid-cols-2 lg:grid-cols-4">
          {metrics.map((metric) => (
            <div key={metric.name} className="rounded-lg border border-border bg-card p-5">
              <dt className="text-sm font-medium text-muted-foreground">{metric.name}</dt>
              <dd className="mt-1 text-xl font-semibold tabular-nums">{metric.formula}</dd>
              <dd className="mt-2 text-sm text-muted-foreground">{metric.detail}</dd>
            </div>
          ))}
        </dl>
      </div>
    </section>
  );
}
