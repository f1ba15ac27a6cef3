export function slugify(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

export async function fetchTitle(id: number): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, 10));
  return `Post ${id}`;
}
