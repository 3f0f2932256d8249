// Invite by email with a role; over the plan's team size the server answers 402 and we show the way up.
"use client";

import { useId, useState, type FormEvent } from "react";

import { Field, FormError } from "@/components/auth/field";
import { Button } from "@/components/ui/button";
import { UpgradePrompt } from "@/components/ui/upgrade-prompt";
import { useInviteMember, type Role } from "@/hooks/useAccount";
import { emailError } from "@/lib/validation";

import { ROLE_HINTS, ROLE_LABELS, assignableRoles } from "./roles";
import { SelectField } from "./select-field";
import { StatusNote } from "./settings-card";

export function InviteForm({ actor }: { actor: Role }) {
  const invite = useInviteMember();
  const id = useId();
  const roles = assignableRoles(actor);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("analyst");
  const [error, setError] = useState<string>();
  const [sentTo, setSentTo] = useState<string | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = emailError(email);
    setError(found);
    if (found) return;
    const address = email.trim();
    invite.mutate(
      { email: address, role },
      {
        onSuccess: () => {
          setEmail("");
          setSentTo(address);
        },
      },
    );
  }

  const limit = invite.error?.status === 402 ? invite.error.details : null;
  return (
    <form noValidate onSubmit={submit} aria-labelledby={`${id}-heading`} className="space-y-3">
      <h3 id={`${id}-heading`} className="text-sm font-semibold">
        Invite someone
      </h3>
      {invite.error &&
        (limit ? (
          <UpgradePrompt message={invite.error.message} upgradeTo={limit.upgrade_to} upgradeUrl={limit.upgrade_url} />
        ) : (
          <FormError message={invite.error.message} />
        ))}
      <div className="grid gap-3 sm:grid-cols-[1fr_12rem_auto] sm:items-start">
        <Field
          label="Email"
          id={`${id}-email`}
          name="email"
          type="email"
          autoComplete="off"
          placeholder="name@example.com"
          value={email}
          onChange={(e) => {
            setEmail(e.target.value);
            setSentTo(null);
          }}
          error={error}
        />
        <SelectField
          id={`${id}-role`}
          label="Role"
          value={role}
          onChange={(e) => setRole(roles.find((r) => r === e.target.value) ?? role)}
        >
          {roles.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </SelectField>
        {/* The spacer lines the button up with the inputs under their labels. */}
        <div className="space-y-1">
          <span aria-hidden="true" className="hidden h-5 sm:block" />
          <Button type="submit" className="w-full sm:w-auto" disabled={invite.isPending}>
            {invite.isPending ? "Sending…" : "Send invitation"}
          </Button>
        </div>
      </div>
      <p className="text-sm text-muted-foreground">
        {ROLE_LABELS[role]}: {ROLE_HINTS[role].toLowerCase()}. The link is valid for 7 days.
      </p>
      <StatusNote message={sentTo ? `Invitation sent to ${sentTo}.` : null} />
    </form>
  );
}
