export function Logo({ compact }: { compact?: boolean }) {
  return (
    <span className="logo">
      <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
        <rect width="32" height="32" rx="8" fill="var(--accent)" />
        <path d="M10 23V9h7a5 5 0 0 1 0 10h-7" fill="none" stroke="white" strokeWidth="3" strokeLinejoin="round" />
      </svg>
      {!compact && <span className="logo-text">Paydesk</span>}
    </span>
  );
}
