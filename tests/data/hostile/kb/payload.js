window.__xss = "attachment-js";
