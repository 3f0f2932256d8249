// Team: the members with their roles (changed or removed as the backend's rules allow), pending
// invitations (revocable), and the invite form. Anyone may leave, which signs them out of the account.
"use client";

import { useId, useState } from "react";

import { Button } from "@/components/ui/button";
import { ErrorState } from "@/components/ui/error-state";
import { useLogout, type Me } from "@/hooks/useAuth";
import {
  useChangeMemberRole,
  usePeople,
  useRemoveMember,
  useRevokeInvitation,
  type Invitation,
  type Member,
  type Role,
} from "@/hooks/useAccount";
import { formatDate } from "@/lib/format";

import { ConfirmDialog, dangerText } from "./confirm-dialog";
import { InviteForm } from "./invite-form";
import { ROLE_LABELS, assignableRoles, canManage, memberPermissions } from "./roles";
import { SelectField } from "./select-field";
import { Note, SectionSkeleton, SettingsCard } from "./settings-card";

const rowClass = "flex flex-col gap-3 py-4 sm:flex-row sm:flex-wrap sm:items-center sm:justify-between";

function Person({ name, email, tag }: { name: string | null; email: string; tag?: string }) {
  const initial = (name ?? email).trim().slice(0, 1).toUpperCase();
  return (
    <div className="flex min-w-0 items-center gap-3">
      <span
        aria-hidden="true"
        className="flex size-9 shrink-0 items-center justify-center rounded-full bg-accent text-sm font-semibold text-accent-foreground"
      >
        {initial}
      </span>
      <div className="min-w-0">
        <p className="truncate font-medium">
          {name ?? email}
          {tag && <span className="ml-2 rounded bg-muted px-1.5 py-0.5 text-xs text-muted-foreground">{tag}</span>}
        </p>
        {name && <p className="truncate text-sm text-muted-foreground">{email}</p>}
      </div>
    </div>
  );
}

type Pending = { kind: "role"; role: Role } | { kind: "remove" };

function MemberRow({ member, me, owners }: { member: Member; me: Me; owners: number }) {
  const changeRole = useChangeMemberRole();
  const remove = useRemoveMember();
  const logout = useLogout();
  const selectId = useId();
  const [confirm, setConfirm] = useState<Pending | null>(null);
  const isSelf = member.user.id === me.user.id;
  const who = member.user.name ?? member.user.email;
  const can = memberPermissions(me.role, member.role, isSelf, owners);
  const roles = assignableRoles(me.role);

  function pickRole(value: string) {
    const role = roles.find((r) => r === value);
    if (!role || role === member.role) return;
    // Giving away your own rights, or making someone an owner, is asked about first.
    if (isSelf || role === "owner") setConfirm({ kind: "role", role });
    else changeRole.mutate({ userId: member.user.id, role });
  }

  function confirmed() {
    if (confirm?.kind === "role") {
      changeRole.mutate({ userId: member.user.id, role: confirm.role }, { onSettled: () => setConfirm(null) });
    } else {
      remove.mutate(member.user.id, {
        onSuccess: () => {
          setConfirm(null);
          if (isSelf) logout.mutate();  // the session's account is no longer ours
        },
      });
    }
  }

  return (
    <li className={rowClass}>
      <Person name={member.user.name} email={member.user.email} tag={isSelf ? "You" : undefined} />
      <div className="flex flex-wrap items-center gap-2 sm:justify-end">
        <p className="text-sm text-muted-foreground sm:mr-2">
          Joined {formatDate(member.joined_at, me.account.timezone)}
        </p>
        {can.changeRole ? (
          <div className="w-36">
            <SelectField
              id={selectId}
              label={`Role of ${who}`}
              hideLabel
              className="h-10"
              value={member.role}
              disabled={changeRole.isPending}
              onChange={(e) => pickRole(e.target.value)}
            >
              {(roles.includes(member.role) ? roles : [member.role, ...roles]).map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </SelectField>
          </div>
        ) : (
          <span className="w-36 text-sm font-medium">
            {ROLE_LABELS[member.role]}
            {can.lastOwner && (
              <span className="block text-xs font-normal text-muted-foreground">
                Only owner: make someone else owner first
              </span>
            )}
          </span>
        )}
        {can.remove && (
          <Button variant="ghost" size="sm" className={dangerText} onClick={() => setConfirm({ kind: "remove" })}>
            {isSelf ? "Leave" : "Remove"}
            <span className="sr-only">{isSelf ? ` ${me.account.name}` : ` ${who}`}</span>
          </Button>
        )}
      </div>
      {changeRole.error && !confirm && (
        <p role="alert" className="text-sm text-destructive sm:basis-full">
          {changeRole.error.message}
        </p>
      )}
      {confirm && (
        <ConfirmDialog
          title={
            confirm.kind === "role"
              ? `Make ${isSelf ? "yourself" : who} ${ROLE_LABELS[confirm.role].toLowerCase()}?`
              : isSelf
                ? `Leave ${me.account.name}?`
                : `Remove ${who}?`
          }
          confirmLabel={confirm.kind === "role" ? "Change role" : isSelf ? "Leave account" : "Remove"}
          pending={changeRole.isPending || remove.isPending || logout.isPending}
          error={confirm.kind === "remove" ? remove.error?.message : null}
          onConfirm={confirmed}
          onCancel={() => {
            remove.reset();
            setConfirm(null);
          }}
        >
          {confirm.kind === "role"
            ? isSelf
              ? "You may lose access to settings you can change now; only an admin or owner can give it back."
              : "Owners can do everything, including managing billing and removing other owners."
            : isSelf
              ? "You will lose access to this account and be signed out. Log in again to reach your other accounts."
              : `${who} loses access to ${me.account.name} at once. You can invite them again later.`}
        </ConfirmDialog>
      )}
    </li>
  );
}

function InvitationRow({ invitation, me, manage }: { invitation: Invitation; me: Me; manage: boolean }) {
  const revoke = useRevokeInvitation();
  const [confirming, setConfirming] = useState(false);
  const tz = me.account.timezone;
  return (
    <li className={rowClass}>
      <Person name={null} email={invitation.email} tag={ROLE_LABELS[invitation.role]} />
      <div className="flex flex-wrap items-center gap-2 sm:justify-end">
        <p className="text-sm text-muted-foreground sm:mr-2">
          Sent {formatDate(invitation.created_at, tz)} · expires {formatDate(invitation.expires_at, tz)}
        </p>
        {manage && (
          <Button variant="ghost" size="sm" className={dangerText} onClick={() => setConfirming(true)}>
            Revoke<span className="sr-only"> the invitation for {invitation.email}</span>
          </Button>
        )}
      </div>
      {confirming && (
        <ConfirmDialog
          title={`Revoke the invitation for ${invitation.email}?`}
          confirmLabel="Revoke invitation"
          pending={revoke.isPending}
          error={revoke.error?.message}
          onConfirm={() => revoke.mutate(invitation.id, { onSuccess: () => setConfirming(false) })}
          onCancel={() => {
            revoke.reset();
            setConfirming(false);
          }}
        >
          The emailed link stops working. You can send a new invitation at any time.
        </ConfirmDialog>
      )}
    </li>
  );
}

export function TeamSection({ me }: { me: Me }) {
  const people = usePeople();
  const manage = canManage(me.role);
  const owners = people.data?.members.filter((m) => m.role === "owner").length ?? 0;

  return (
    <SettingsCard id="team" title="Team" description={`Who can see ${me.account.name}, and what they can change.`}>
      {people.isPending && <SectionSkeleton label="Loading the team" />}
      {people.isError && <ErrorState message={people.error.message} onRetry={() => void people.refetch()} />}
      {people.data && (
        <div className="space-y-6">
          <div>
            <h3 className="text-sm font-semibold">
              Members{" "}
              <span className="font-normal text-muted-foreground tabular-nums">({people.data.members.length})</span>
            </h3>
            {people.data.members.length === 0 ? (
              <p className="py-4 text-sm text-muted-foreground">No members yet.</p>
            ) : (
              <ul className="divide-y divide-border" aria-label="Members">
                {people.data.members.map((member) => (
                  <MemberRow key={member.user.id} member={member} me={me} owners={owners} />
                ))}
              </ul>
            )}
          </div>
          {(manage || people.data.invitations.length > 0) && (
            <div>
              <h3 className="text-sm font-semibold">Pending invitations</h3>
              {people.data.invitations.length === 0 ? (
                <p className="py-4 text-sm text-muted-foreground">No pending invitations.</p>
              ) : (
                <ul className="divide-y divide-border" aria-label="Pending invitations">
                  {people.data.invitations.map((invitation) => (
                    <InvitationRow key={invitation.id} invitation={invitation} me={me} manage={manage} />
                  ))}
                </ul>
              )}
            </div>
          )}
          {manage ? (
            <div className="border-t border-border pt-6">
              <InviteForm actor={me.role} />
            </div>
          ) : (
            <Note>Only owners and admins can invite people and change roles.</Note>
          )}
        </div>
      )}
    </SettingsCard>
  );
}
