package org.trajlake.sink;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;

/**
 * The local warehouse, except that while {@link #freeze frozen} creating a file neither returns nor
 * fails: what an object store or a network mount that stops answering looks like to a writer whose
 * client has no timeout. Set as {@code catalog.io-impl}; the switch is static because the catalog
 * builds its own instance.
 */
public final class FreezableFileIO implements FileIO {
  private static final AtomicReference<CountDownLatch> FROZEN = new AtomicReference<>();

  private final LocalFileIO local = new LocalFileIO();

  /** From now on, every file created waits until {@link #thaw}. */
  public static void freeze() {
    FROZEN.set(new CountDownLatch(1));
  }

  /** Lets the waiting writes and every later one through. */
  public static void thaw() {
    CountDownLatch latch = FROZEN.getAndSet(null);
    if (latch != null) {
      latch.countDown();
    }
  }

  private static void waitWhileFrozen() {
    CountDownLatch latch = FROZEN.get();
    if (latch == null) {
      return;
    }
    boolean interrupted = false;
    // Uninterruptible, like a blocked socket read: the sink's stop cannot cut it short either.
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void initialize(Map<String, String> properties) {
    local.initialize(properties);
  }

  @Override
  public InputFile newInputFile(String location) {
    return local.newInputFile(location);
  }

  @Override
  public OutputFile newOutputFile(String location) {
    OutputFile file = local.newOutputFile(location);
    return new OutputFile() {
      @Override
      public PositionOutputStream create() {
        waitWhileFrozen();
        return file.create();
      }

      @Override
      public PositionOutputStream createOrOverwrite() {
        waitWhileFrozen();
        return file.createOrOverwrite();
      }

      @Override
      public String location() {
        return file.location();
      }

      @Override
      public InputFile toInputFile() {
        return file.toInputFile();
      }
    };
  }

  @Override
  public void deleteFile(String location) {
    local.deleteFile(location);
  }
}
