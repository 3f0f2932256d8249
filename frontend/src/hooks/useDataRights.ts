// The owner's data rights: download everything the account holds, or erase the account for good.
"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";

import { API_BASE_PATH, ApiError, apiRequest } from "@/lib/api-client";
import { attachmentName, saveBlob } from "@/lib/download";

export type Erasure = { erased: boolean; account: string; rows: Record<string, number> };

async function errorOf(response: Response): Promise<ApiError> {
  const requestId = response.headers.get("X-Request-Id");
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.code && body.error.message) {
      return new ApiError({ status: response.status, code: body.error.code, message: body.error.message, requestId });
    }
  } catch {
    // not JSON: fall through
  }
  return new ApiError({
    status: response.status,
    code: "unexpected_response",
    message: `The export failed (HTTP ${response.status}). Try again.`,
    requestId,
  });
}

/** POST /accounts/current/export: the archive (a .tar.gz) is saved under the server's file name. */
export function useExportAccount() {
  return useMutation<string, ApiError, void>({
    mutationFn: async () => {
      let response: Response;
      try {
        response = await fetch(`${API_BASE_PATH}/accounts/current/export`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/gzip, application/json" },
          body: "{}",
          credentials: "same-origin",
        });
      } catch {
        throw new ApiError({
          status: 0,
          code: "network_error",
          message: "Could not reach the server. Check your connection and try again.",
          requestId: null,
        });
      }
      if (!response.ok) throw await errorOf(response);
      const filename = attachmentName(response.headers.get("Content-Disposition"), "omnitrackiq-export.tar.gz");
      saveBlob(await response.blob(), filename);
      return filename;
    },
  });
}

/** DELETE /accounts/current with the account's id as confirmation; then nothing of it stays here. */
export function useEraseAccount() {
  const client = useQueryClient();
  const router = useRouter();
  return useMutation<Erasure, ApiError, string>({
    mutationFn: (confirm) => apiRequest<Erasure>("DELETE", "/accounts/current", { confirm }),
    onSuccess: () => {
      client.clear();
      router.replace("/login");
    },
  });
}
