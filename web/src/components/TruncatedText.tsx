import { useLayoutEffect, useRef, useState } from 'react';

/**
 * Text cut with an ellipsis to the width of its cell (`.truncate`, tables.css). The whole value shows on hover
 * (its title) and, when it is cut, on keyboard focus: only then is it a tab stop, so short values add none.
 */
export function TruncatedText({ text, className }: { text: string; className?: string }) {
  const ref = useRef<HTMLSpanElement>(null);
  const [cut, setCut] = useState(false);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => {
      // Focused, the text is shown whole (so not cut): keep the tab stop until focus leaves.
      if (document.activeElement === element) return;
      setCut(element.scrollWidth > element.clientWidth + 1);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [text]);
  return (
    <span
      ref={ref}
      className={className ? `truncate ${className}` : 'truncate'}
      title={text}
      tabIndex={cut ? 0 : undefined}
    >
      {text}
    </span>
  );
}
