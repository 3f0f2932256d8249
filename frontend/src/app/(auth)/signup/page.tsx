// /signup: an account for the store (or agency) and its first owner, then straight to the dashboard.
"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { Suspense, useState, type FormEvent } from "react";

import { Field, FormError } from "@/components/auth/field";
import { Button } from "@/components/ui/button";
import { safeNext, useSignup } from "@/hooks/useAuth";
import { emailError, newPasswordError } from "@/lib/validation";

type Errors = { email?: string; password?: string; account_name?: string };

function SignupForm() {
  const router = useRouter();
  const next = safeNext(useSearchParams().get("next"));
  const signup = useSignup();
  const [form, setForm] = useState({ email: "", password: "", account_name: "" });
  const [errors, setErrors] = useState<Errors>({});
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));

  function submit(event: FormEvent) {
    event.preventDefault();
    const found: Errors = {
      email: emailError(form.email),
      password: newPasswordError(form.password, form.email),
      account_name: form.account_name.trim() ? undefined : "Name your store or agency.",
    };
    setErrors(found);
    if (found.email || found.password || found.account_name) return;
    const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    signup.mutate(
      { email: form.email.trim(), password: form.password, account_name: form.account_name.trim(), timezone },
      { onSuccess: () => router.replace(next) },
    );
  }

  return (
    <form noValidate onSubmit={submit} className="space-y-4" aria-labelledby="signup-heading">
      <h1 id="signup-heading" className="text-xl font-semibold">
        Create your account
      </h1>
      <FormError message={signup.error?.message ?? null} />
      <Field
        label="Store or agency name"
        name="account_name"
        autoComplete="organization"
        value={form.account_name}
        onChange={set("account_name")}
        error={errors.account_name}
      />
      <Field
        label="Work email"
        name="email"
        type="email"
        autoComplete="email"
        value={form.email}
        onChange={set("email")}
        error={errors.email}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        value={form.password}
        onChange={set("password")}
        error={errors.password}
        hint="At least 10 characters; a passphrase works well."
      />
      <Button type="submit" className="w-full" disabled={signup.isPending}>
        {signup.isPending ? "Creating your account…" : "Start free"}
      </Button>
      <p className="text-center text-sm text-muted-foreground">
        Already have an account?{" "}
        <Link href="/login" prefetch={false} className="font-medium text-primary underline-offset-4 hover:underline">
          Log in
        </Link>
      </p>
    </form>
  );
}

export default function SignupPage() {
  return (
    <Suspense>
      <SignupForm />
    </Suspense>
  );
}
