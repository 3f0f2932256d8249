// Saving a file the API answered (not a link the browser can follow: the export is a POST).

/** The file name of a `Content-Disposition: attachment; filename="…"` header, or `fallback`. */
export function attachmentName(header: string | null, fallback: string): string {
  const match = header?.match(/filename="([^"\\/]+)"/);
  return match?.[1] ?? fallback;
}

/** Hands `blob` to the browser's download manager as `filename`. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.rel = "noopener";
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked after the click has been handled, so the download keeps its source.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
