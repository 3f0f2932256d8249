// /login: email and password; the server's answer shown as it is; back to where the visitor was going.
"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { Suspense, useState, type FormEvent } from "react";

import { Field, FormError } from "@/components/auth/field";
import { Button } from "@/components/ui/button";
import { safeNext, useLogin } from "@/hooks/useAuth";
import { emailError } from "@/lib/validation";

function LoginForm() {
  const router = useRouter();
  const next = safeNext(useSearchParams().get("next"));
  const login = useLogin();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<{ email?: string; password?: string }>({});

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = { email: emailError(email), password: password ? undefined : "Enter your password." };
    setErrors(found);
    if (found.email || found.password) return;
    login.mutate({ email: email.trim(), password }, { onSuccess: () => router.replace(next) });
  }

  return (
    <form noValidate onSubmit={submit} className="space-y-4" aria-labelledby="login-heading">
      <h1 id="login-heading" className="text-xl font-semibold">
        Log in
      </h1>
      <FormError message={login.error?.message ?? null} />
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={errors.email}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={errors.password}
      />
      <Button type="submit" className="w-full" disabled={login.isPending}>
        {login.isPending ? "Logging in…" : "Log in"}
      </Button>
      <p className="text-center text-sm text-muted-foreground">
        New here?{" "}
        <Link href="/signup" prefetch={false} className="font-medium text-primary underline-offset-4 hover:underline">
          Create an account
        </Link>
      </p>
    </form>
  );
}

export default function LoginPage() {
  return (
    <Suspense>
      <LoginForm />
    </Suspense>
  );
}
