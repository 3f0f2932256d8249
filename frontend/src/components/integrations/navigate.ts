// Leaving the app for a provider's consent screen: the one place the integrations page moves the browser (tests mock it).
export function goToProvider(url: string): void {
  window.location.assign(url);
}
