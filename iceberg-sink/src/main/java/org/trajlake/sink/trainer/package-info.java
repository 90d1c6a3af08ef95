/**
 * The trainer side of the cold loop: reading the training tables by snapshot or tag.
 *
 * <ul>
 *   <li>{@link org.trajlake.sink.trainer.TrainingTables} opens the sink's catalog and its tables;
 *   <li>{@link org.trajlake.sink.trainer.Snapshots} lists a table's snapshots, tags them, and resolves
 *       a snapshot id or tag to the {@link org.trajlake.sink.trainer.TableVersion} to read;
 *   <li>{@link org.trajlake.sink.trainer.SnapshotReader} reads that version's rows, filtered by a
 *       {@link org.trajlake.sink.trainer.RowFilter} text;
 *   <li>{@link org.trajlake.sink.trainer.Exporter} writes it as jsonl, SFT or DPO lines and
 *       {@link org.trajlake.sink.trainer.Sampler} a seeded sample, each with an
 *       {@link org.trajlake.sink.trainer.ExportManifest} beside the file.
 * </ul>
 */
package org.trajlake.sink.trainer;
