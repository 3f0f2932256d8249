// PostCSS runs Tailwind CSS v4 only; Tailwind handles nesting and vendor prefixes itself.
const config = {
  plugins: {
    "@tailwindcss/postcss": {},
  },
};

export default config;
