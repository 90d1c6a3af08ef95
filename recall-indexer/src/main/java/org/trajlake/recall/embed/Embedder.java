package org.trajlake.recall.embed;

import java.util.List;

/** Turns texts into vectors; one model, one dimension, recorded in the index it fills. */
public interface Embedder extends AutoCloseable {
  /** The model's name as recorded in the index metadata, for example {@code bge-small-en-v1.5-q}. */
  String model();

  int dimension();

  /** One unit-length vector per text, in order. */
  List<float[]> embed(List<String> texts);

  default float[] embed(String text) {
    return embed(List.of(text)).get(0);
  }

  @Override
  default void close() {}
}
