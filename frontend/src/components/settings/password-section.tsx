// Password: change it with the current one; the server signs out every other session and keeps this one.
"use client";

import { useState, type FormEvent } from "react";

import { Field, FormError } from "@/components/auth/field";
import { Button } from "@/components/ui/button";
import { useChangePassword } from "@/hooks/useAccount";
import { newPasswordError } from "@/lib/validation";

import { SettingsCard, StatusNote } from "./settings-card";

type Form = { current: string; next: string; confirm: string };
type Errors = Partial<Record<keyof Form, string>>;

const EMPTY: Form = { current: "", next: "", confirm: "" };

export function PasswordSection({ email }: { email: string }) {
  const change = useChangePassword();
  const [form, setForm] = useState<Form>(EMPTY);
  const [errors, setErrors] = useState<Errors>({});
  const [done, setDone] = useState(false);

  const set = (key: keyof Form) => (event: { target: { value: string } }) => {
    setForm((f) => ({ ...f, [key]: event.target.value }));
    setDone(false);
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    const found: Errors = {
      current: form.current ? undefined : "Enter your current password.",
      next: newPasswordError(form.next, email),
      confirm: form.confirm === form.next ? undefined : "The passwords do not match.",
    };
    setErrors(found);
    if (found.current || found.next || found.confirm) return;
    change.mutate(
      { current_password: form.current, new_password: form.next },
      {
        onSuccess: () => {
          setForm(EMPTY);
          setDone(true);
        },
      },
    );
  }

  return (
    <SettingsCard
      id="password"
      title="Password"
      description="Changing it signs you out everywhere else; this browser stays signed in."
    >
      <form noValidate onSubmit={submit} className="max-w-md space-y-4" aria-label="Change password">
        {/* For password managers: which login this new password belongs to. */}
        <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
        <FormError message={change.error?.message ?? null} />
        <Field
          label="Current password"
          id="password-current"
          name="current_password"
          type="password"
          autoComplete="current-password"
          value={form.current}
          onChange={set("current")}
          error={errors.current}
        />
        <Field
          label="New password"
          id="password-new"
          name="new_password"
          type="password"
          autoComplete="new-password"
          value={form.next}
          onChange={set("next")}
          error={errors.next}
          hint="At least 10 characters; a passphrase works well."
        />
        <Field
          label="Confirm new password"
          id="password-confirm"
          name="confirm_password"
          type="password"
          autoComplete="new-password"
          value={form.confirm}
          onChange={set("confirm")}
          error={errors.confirm}
        />
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" disabled={change.isPending}>
            {change.isPending ? "Changing…" : "Change password"}
          </Button>
          <StatusNote message={done ? "Password changed. Other sessions have been signed out." : null} />
        </div>
      </form>
    </SettingsCard>
  );
}
