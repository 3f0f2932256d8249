// Checks the forms make before sending; the server checks again and has the last word.

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function emailError(email: string): string | undefined {
  if (!email.trim()) return "Enter your email address.";
  if (!EMAIL.test(email.trim())) return "Enter an email address like name@example.com.";
  return undefined;
}

/** The server's policy: 10 to 128 bytes, not the email (it also refuses common passwords). */
export function newPasswordError(password: string, email: string): string | undefined {
  const bytes = new TextEncoder().encode(password).length;
  if (bytes < 10) return "Use at least 10 characters.";
  if (bytes > 128) return "Use at most 128 characters.";
  if (email && password.toLowerCase() === email.trim().toLowerCase()) return "Your password cannot be your email.";
  return undefined;
}
