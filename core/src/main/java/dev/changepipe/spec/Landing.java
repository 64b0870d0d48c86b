package dev.changepipe.spec;

import java.nio.file.Path;

/** Where a pipeline's files land: a local folder or a prefix of a bucket. */
public sealed interface Landing {

    /** A local folder, watched for files. */
    record Folder(Path path) implements Landing {
        @Override
        public String toString() {
            return path.toString();
        }
    }

    /** A prefix of a bucket on AWS S3 or an S3-compatible store, listed for new objects. */
    record Bucket(S3Uri uri, S3Settings settings) implements Landing {
        @Override
        public String toString() {
            return uri.toString();
        }
    }
}
