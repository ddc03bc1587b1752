package dev.shortrun.steps.tracking;

/** Checks and normalises the artifact directory names callers pass, so a run can never write outside itself. */
final class ArtifactDirs {
    private ArtifactDirs() {}

    /** "" or "a/b" (forward slashes, no leading or trailing slash); rejects absolute paths and "..". */
    static String normalize(String artifactDir) {
        if (artifactDir == null) {
            return "";
        }
        String dir = artifactDir.replace('\\', '/');
        if (dir.startsWith("/")) {
            throw new IllegalArgumentException("artifactDir must be relative to the run, got '" + artifactDir + "'");
        }
        StringBuilder normal = new StringBuilder();
        for (String part : dir.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new IllegalArgumentException("artifactDir must not contain '..', got '" + artifactDir + "'");
            }
            normal.append(normal.length() == 0 ? "" : "/").append(part);
        }
        return normal.toString();
    }
}
