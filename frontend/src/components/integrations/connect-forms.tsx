// Connecting a provider: one button for OAuth providers, an inline shop-domain form for Shopify,
// store URL and keys for WooCommerce; and why Connect is off when it is (coming soon, no app
// credentials on the server, a role below admin).
"use client";

import { useEffect, useId, useRef, useState, type FormEvent } from "react";

import { Field } from "@/components/auth/field";
import { Button } from "@/components/ui/button";
import { useConnect, type ConnectBody, type Integration, type Provider } from "@/hooks/useIntegrations";

import {
  normalizeShop,
  normalizeStoreUrl,
  shopError,
  wooCommerceErrors,
  type WooCommerceErrors,
} from "./connect-validation";
import { connectionName } from "./display";
import { goToProvider } from "./navigate";
import { ActionError } from "@/components/ui/upgrade-prompt";

/** Starts connecting: an OAuth answer sends the browser to the provider, a key-based one is connected here. */
export function useConnectFlow(provider: string, onConnected?: (connection: Integration) => void) {
  const connect = useConnect(provider);
  const { reset } = connect;
  useEffect(() => {
    // Back from the provider through the browser's back button: the page is restored as it was left.
    const onPageShow = (event: PageTransitionEvent) => {
      if (event.persisted) reset();
    };
    window.addEventListener("pageshow", onPageShow);
    return () => window.removeEventListener("pageshow", onPageShow);
  }, [reset]);
  const start = (body?: ConnectBody) =>
    connect.mutate(body, {
      onSuccess: (result) => ("url" in result ? goToProvider(result.url) : onConnected?.(result.data)),
    });
  const redirecting = connect.isSuccess && "url" in connect.data;
  return { start, busy: connect.isPending || redirecting, redirecting, error: connect.error, reset };
}

export type ConnectFlow = ReturnType<typeof useConnectFlow>;

/** The inline form's state, owned by the card so a connection's "Reconnect" can open it prefilled. */
export type ConnectFormState = { open: boolean; storeUrl?: string };

/** Why Connect is unavailable for this user on this server, or null when it is available. */
export function connectBlocker(provider: Provider, allowed: boolean): string | null {
  if (!provider.configured) {
    return (
      `This server has no ${provider.label} app credentials yet, so ${provider.label} can't be connected. ` +
      "An operator needs to add them to the server's configuration (see docs/integrations.md)."
    );
  }
  if (!allowed) return "Only owners and admins can connect integrations.";
  return null;
}

function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => ref.current?.focus(), []);
  return ref;
}

function ShopifyForm({ flow, onCancel }: { flow: ConnectFlow; onCancel: () => void }) {
  const id = useId();
  const [shop, setShop] = useState("");
  const [error, setError] = useState<string | undefined>();
  const input = useFocusOnMount<HTMLInputElement>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problem = shopError(shop);
    setError(problem);
    const normalized = normalizeShop(shop);
    if (problem || !normalized) {
      input.current?.focus();
      return;
    }
    setShop(normalized);
    flow.start({ shop: normalized });
  };

  return (
    <form noValidate onSubmit={submit} aria-label="Connect a Shopify store" className="space-y-3">
      <Field
        ref={input}
        id={`${id}-shop`}
        name="shop"
        label="Shop domain"
        placeholder="my-store.myshopify.com"
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
        inputMode="url"
        value={shop}
        onChange={(event) => setShop(event.target.value)}
        error={error}
        hint="The myshopify.com address (Shopify admin › Settings › Domains), even if customers see your own domain."
      />
      <ActionError error={flow.error} />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={flow.busy}>
          {flow.busy ? "Opening Shopify…" : "Continue to Shopify"}
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={flow.redirecting}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function WooCommerceForm({
  flow,
  storeUrl: initialStoreUrl,
  onCancel,
}: {
  flow: ConnectFlow;
  storeUrl?: string;
  onCancel: () => void;
}) {
  const id = useId();
  const [values, setValues] = useState({ storeUrl: initialStoreUrl ?? "", consumerKey: "", consumerSecret: "" });
  const [errors, setErrors] = useState<WooCommerceErrors>({});
  const first = useFocusOnMount<HTMLInputElement>();
  const keyInput = useRef<HTMLInputElement>(null);
  const secretInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (initialStoreUrl) keyInput.current?.focus();  // reconnecting: the address is known, the keys are not
  }, [initialStoreUrl]);

  const set = (name: keyof typeof values) => (event: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [name]: event.target.value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems = wooCommerceErrors(values);
    setErrors(problems);
    const storeUrl = normalizeStoreUrl(values.storeUrl);
    if (problems.storeUrl || !storeUrl) return first.current?.focus();
    if (problems.consumerKey) return keyInput.current?.focus();
    if (problems.consumerSecret) return secretInput.current?.focus();
    flow.start({
      store_url: storeUrl,
      consumer_key: values.consumerKey.trim(),
      consumer_secret: values.consumerSecret.trim(),
    });
  };

  return (
    <form noValidate onSubmit={submit} aria-label="Connect a WooCommerce store" className="space-y-3">
      <Field
        ref={first}
        id={`${id}-url`}
        name="store_url"
        label="Store URL"
        placeholder="https://shop.example.com"
        type="url"
        inputMode="url"
        autoComplete="url"
        value={values.storeUrl}
        onChange={set("storeUrl")}
        error={errors.storeUrl}
      />
      <Field
        ref={keyInput}
        id={`${id}-key`}
        name="consumer_key"
        label="Consumer key"
        placeholder="ck_…"
        autoComplete="off"
        spellCheck={false}
        value={values.consumerKey}
        onChange={set("consumerKey")}
        error={errors.consumerKey}
        hint="WooCommerce › Settings › Advanced › REST API › Add key, with Read permission."
      />
      <Field
        ref={secretInput}
        id={`${id}-secret`}
        name="consumer_secret"
        label="Consumer secret"
        placeholder="cs_…"
        type="password"
        autoComplete="off"
        spellCheck={false}
        value={values.consumerSecret}
        onChange={set("consumerSecret")}
        error={errors.consumerSecret}
        hint="Stored encrypted; it is never shown again."
      />
      <ActionError error={flow.error} />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={flow.busy}>
          {flow.busy ? "Connecting…" : "Connect store"}
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={flow.busy}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

/** The bottom of an available provider's card: the Connect button, its form, and what happened. */
export function ConnectSection({
  provider,
  allowed,
  hasConnections,
  form,
  onFormChange,
}: {
  provider: Provider;
  allowed: boolean;
  hasConnections: boolean;
  form: ConnectFormState;
  onFormChange: (form: ConnectFormState) => void;
}) {
  const noteId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(form.open);
  useEffect(() => {
    if (wasOpen.current && !form.open) button.current?.focus();  // back to where the form was opened
    wasOpen.current = form.open;
  }, [form.open]);
  const [connected, setConnected] = useState<string | null>(null);
  const flow = useConnectFlow(provider.provider, (connection) => {
    setConnected(connectionName(connection));
    onFormChange({ open: false });
  });
  const blocker = connectBlocker(provider, allowed);
  const usesForm = provider.provider === "shopify" || provider.auth === "api_key";
  const label = hasConnections
    ? provider.category === "store"
      ? "Add another store"
      : "Connect another account"
    : `Connect ${provider.label}`;

  const close = () => {
    flow.reset();
    onFormChange({ open: false });
  };

  return (
    <div className="space-y-3">
      {connected && (
        <p role="status" className="text-sm text-success">
          {connected} is connected.
        </p>
      )}
      {!(usesForm && form.open) && (
        <div className="flex flex-wrap items-center gap-3">
          <Button
            variant={hasConnections ? "secondary" : "primary"}
            disabled={blocker !== null || flow.busy}
            ref={button}
            aria-describedby={blocker ? noteId : undefined}
            onClick={() => {
              setConnected(null);
              if (usesForm) onFormChange({ open: true });
              else flow.start();
            }}
          >
            {flow.busy ? `Opening ${provider.label}…` : label}
          </Button>
          {!blocker && !usesForm && (
            <p className="text-sm text-muted-foreground">You&apos;ll sign in with {provider.label} and come back here.</p>
          )}
        </div>
      )}
      {blocker && (
        <p id={noteId} className="text-sm text-muted-foreground">
          {blocker}
        </p>
      )}
      {!usesForm && <ActionError error={flow.error} />}
      {usesForm && form.open && !blocker && (
        <div>
          {provider.provider === "shopify" ? (
            <ShopifyForm flow={flow} onCancel={close} />
          ) : (
            <WooCommerceForm key={form.storeUrl ?? ""} flow={flow} storeUrl={form.storeUrl} onCancel={close} />
          )}
        </div>
      )}
    </div>
  );
}
