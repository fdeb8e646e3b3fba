import { useState } from 'preact/hooks';

/**
 * A drop zone for files, with a labelled file input inside it for keyboard and screen-reader
 * users (dropping is a mouse gesture only). Files are read in the page, never uploaded.
 */
export function FileDrop({
  id,
  region,
  label,
  hint,
  onFiles,
}: {
  id: string;
  /** The drop zone's name, for screen readers. */
  region: string;
  label: string;
  hint: string;
  onFiles: (files: readonly File[]) => void;
}) {
  const [over, setOver] = useState(false);
  return (
    // The drop target is a region; its keyboard path is the file input inside it.
    <section
      aria-label={region}
      class={`drop${over ? ' over' : ''}`}
      data-testid={`${id}-zone`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        const files = [...(e.dataTransfer?.files ?? [])];
        if (files.length > 0) onFiles(files);
      }}
    >
      <p class="drop-hint">{hint}</p>
      <label for={id}>{label}</label>{' '}
      <input
        id={id}
        type="file"
        multiple
        data-testid={id}
        onChange={(e) => {
          const input = e.currentTarget;
          const files = [...(input.files ?? [])];
          input.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
    </section>
  );
}
