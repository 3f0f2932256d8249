// Account: its name, and the time zone and currency every figure is reported in (owners and admins
// change them; the others see them). Only the fields that changed are sent.
"use client";

import Link from "next/link";
import { useMemo, useState, type FormEvent } from "react";

import { Field, FormError } from "@/components/auth/field";
import { Button } from "@/components/ui/button";
import type { Me } from "@/hooks/useAuth";
import { useUpdateAccount, type AccountInput } from "@/hooks/useAccount";

import { canManage } from "./roles";
import { SelectField } from "./select-field";
import { Note, SettingsCard, StatusNote } from "./settings-card";

// Currencies most stores report in; the account's own is added when it is not among them.
const COMMON_CURRENCIES = [
  "AED", "AUD", "BRL", "CAD", "CHF", "CNY", "CZK", "DKK", "EUR", "GBP", "HKD", "ILS", "INR",
  "JPY", "KRW", "MXN", "NOK", "NZD", "PLN", "SAR", "SEK", "SGD", "TRY", "USD", "ZAR",
];

type ZoneGroup = { region: string; zones: { value: string; label: string }[] };

function utcOffset(zone: string, now: Date): string | null {
  try {
    const parts = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "shortOffset" }).formatToParts(now);
    return parts.find((p) => p.type === "timeZoneName")?.value ?? null;
  } catch {
    return null;  // a name this browser does not know; the server is the judge
  }
}

/** Every IANA zone the browser knows, grouped by region ("Europe" → "Berlin (GMT+1)"), plus UTC and `current`. */
export function timeZoneGroups(current: string, now = new Date()): ZoneGroup[] {
  const names = new Set(Intl.supportedValuesOf("timeZone"));
  names.add(current);
  names.delete("UTC");
  const groups = new Map<string, ZoneGroup>();
  for (const zone of [...names].sort()) {
    const slash = zone.indexOf("/");
    const region = slash > 0 ? zone.slice(0, slash) : "Other";
    const city = (slash > 0 ? zone.slice(slash + 1) : zone).replaceAll("_", " ").replaceAll("/", " / ");
    const offset = utcOffset(zone, now);
    const group = groups.get(region) ?? { region, zones: [] };
    group.zones.push({ value: zone, label: offset ? `${city} (${offset})` : city });
    groups.set(region, group);
  }
  return [{ region: "UTC", zones: [{ value: "UTC", label: "UTC" }] }, ...groups.values()];
}

function currencyOptions(current: string): { value: string; label: string }[] {
  const names = new Intl.DisplayNames(["en"], { type: "currency" });
  const codes = COMMON_CURRENCIES.includes(current) ? COMMON_CURRENCIES : [...COMMON_CURRENCIES, current].sort();
  return codes.map((code) => ({ value: code, label: `${code} — ${names.of(code) ?? code}` }));
}

export function AccountSection({ me }: { me: Me }) {
  const { account } = me;
  const editable = canManage(me.role);
  const update = useUpdateAccount();
  const [form, setForm] = useState({ name: account.name, timezone: account.timezone, currency: account.currency });
  const [nameError, setNameError] = useState<string>();
  const [saved, setSaved] = useState(false);
  const zones = useMemo(() => timeZoneGroups(account.timezone), [account.timezone]);
  const currencies = useMemo(() => currencyOptions(account.currency), [account.currency]);

  const changes: AccountInput = {};
  if (form.name.trim() !== account.name) changes.name = form.name.trim();
  if (form.timezone !== account.timezone) changes.timezone = form.timezone;
  if (form.currency !== account.currency) changes.currency = form.currency;
  const dirty = Object.keys(changes).length > 0;

  const set = (key: keyof typeof form) => (event: { target: { value: string } }) => {
    setForm((f) => ({ ...f, [key]: event.target.value }));
    setSaved(false);
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    const error = form.name.trim() ? undefined : "Name your store or agency.";
    setNameError(error);
    if (error || !dirty) return;
    update.mutate(changes, { onSuccess: () => setSaved(true) });
  }

  return (
    <SettingsCard
      id="account"
      title="Account"
      description={
        <>
          {account.name} is on the <span className="font-medium capitalize">{account.plan}</span> plan.{" "}
          <Link href="/billing" className="font-medium text-primary underline-offset-4 hover:underline">
            Change plan
          </Link>
        </>
      }
    >
      <form noValidate onSubmit={submit} className="space-y-4" aria-label="Account settings">
        {!editable && <Note>Only owners and admins can change these settings.</Note>}
        <FormError message={update.error?.message ?? null} />
        <Field
          label="Account name"
          id="account-name"
          name="name"
          autoComplete="organization"
          maxLength={200}
          value={form.name}
          onChange={set("name")}
          error={nameError}
          disabled={!editable}
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField
            id="account-timezone-select"
            data-testid="account-timezone"
            label="Time zone"
            hint="Reports count each day from midnight in this time zone."
            value={form.timezone}
            onChange={set("timezone")}
            disabled={!editable}
          >
            {zones.map((group) => (
              <optgroup key={group.region} label={group.region}>
                {group.zones.map((zone) => (
                  <option key={zone.value} value={zone.value}>
                    {zone.label}
                  </option>
                ))}
              </optgroup>
            ))}
          </SelectField>
          <SelectField
            id="account-currency"
            label="Reporting currency"
            hint="Revenue and spend in other currencies are converted to it."
            value={form.currency}
            onChange={set("currency")}
            disabled={!editable}
          >
            {currencies.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </SelectField>
        </div>
        <p className="text-xs text-muted-foreground">
          Account ID <code className="font-mono">{account.id}</code>
        </p>
        {editable && (
          <div className="flex flex-wrap items-center gap-3">
            <Button type="submit" data-testid="account-save" disabled={!dirty || update.isPending}>
              {update.isPending ? "Saving…" : "Save changes"}
            </Button>
            <StatusNote message={saved && !dirty ? "Saved" : null} />
          </div>
        )}
      </form>
    </SettingsCard>
  );
}
