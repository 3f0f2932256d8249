// A sortable column header: a button that sorts by this column (again: reverses), with aria-sort.
"use client";

import type { ReactNode } from "react";

import { cn } from "@/lib/cn";

export function SortHeader<Key extends string>({
  column,
  label,
  sort,
  order,
  onSort,
  align = "right",
  info,
}: {
  column: Key;
  label: string;
  sort: Key;
  order: "asc" | "desc";
  onSort: (column: Key) => void;
  align?: "left" | "right";
  /** Shown after the label, outside the button (e.g. the metric's definition). */
  info?: ReactNode;
}) {
  const active = sort === column;
  return (
    <th
      scope="col"
      aria-sort={active ? (order === "asc" ? "ascending" : "descending") : "none"}
      className={cn("px-3 py-2 font-medium whitespace-nowrap", align === "right" ? "text-right" : "text-left")}
    >
      <button
        type="button"
        onClick={() => onSort(column)}
        className={cn(
          "inline-flex items-center gap-1 rounded hover:text-foreground focus-visible:outline-2 focus-visible:outline-ring",
          active && "text-foreground",
        )}
      >
        {label}
        <span aria-hidden="true" className={cn("text-xs", !active && "opacity-30")}>
          {active && order === "asc" ? "▲" : "▼"}
        </span>
      </button>
      {info && <span className="ml-0.5 inline-flex align-middle">{info}</span>}
    </th>
  );
}
