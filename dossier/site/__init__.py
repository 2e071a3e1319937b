"""The site: urls (the one owner of paths), the page plan, Markdown rendering, pictures, layouts, feeds, SEO, search."""
