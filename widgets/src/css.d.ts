// Style sheets are bundled by the labextension builder (style-loader).
declare module "*.css";
