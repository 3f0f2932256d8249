// A search box that reports its text after the user pauses typing, not on every key.
"use client";

import { useEffect, useId, useState } from "react";

export function SearchInput({
  label,
  value,
  onSearch,
  placeholder,
  delayMs = 300,
}: {
  label: string;
  value: string;
  onSearch: (text: string) => void;
  placeholder?: string;
  delayMs?: number;
}) {
  const id = useId();
  const [text, setText] = useState(value);
  const [reported, setReported] = useState(value);
  // The URL changed under us (back button, a shared link): show what it says.
  if (value !== reported) {
    setReported(value);
    setText(value);
  }
  useEffect(() => {
    if (text === reported) return;
    const timer = setTimeout(() => {
      setReported(text);
      onSearch(text);
    }, delayMs);
    return () => clearTimeout(timer);
  }, [text, reported, onSearch, delayMs]);

  return (
    <div className="text-sm">
      <label htmlFor={id} className="block text-muted-foreground">
        {label}
      </label>
      <input
        id={id}
        type="search"
        value={text}
        placeholder={placeholder}
        maxLength={200}
        onChange={(e) => setText(e.target.value)}
        className="h-10 w-full min-w-48 rounded-md border border-border bg-background px-3 text-sm sm:w-64"
      />
    </div>
  );
}
