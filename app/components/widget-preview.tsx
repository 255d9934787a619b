import { useEffect, useRef } from "react";

/**
 * How the embed's button and greeting will look on a page, drawn from the unsaved form values.
 * Colours are set through the DOM, not a style attribute: production's CSP allows no inline styles.
 */
export function WidgetPreview(look: {
  buttonText: string;
  color: string;
  textColor: string;
  position: string;
  greeting: string;
}) {
  const button = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    button.current?.style.setProperty("background", look.color);
    button.current?.style.setProperty("color", look.textColor);
  }, [look.color, look.textColor]);
  return (
    <figure className="widget-preview" data-testid="widget-preview" aria-label="Widget preview">
      <div className={`widget-preview-corner ${look.position === "bottom-left" ? "left" : "right"}`}>
        {look.greeting && <p className="widget-preview-bubble">{look.greeting}</p>}
        <span ref={button} className="widget-preview-button" data-testid="widget-preview-button">
          {look.buttonText || "Talk to us"}
        </span>
      </div>
    </figure>
  );
}
