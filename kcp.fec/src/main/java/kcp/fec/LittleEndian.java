package kcp.fec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Little-endian array access through VarHandles (bounds-checked). Stateless, thread-safe. */
final class LittleEndian {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class,
            ByteOrder.LITTLE_ENDIAN);

    private LittleEndian() {
    }

    static int getInt(byte[] b, int off) {
        return (int) INT.get(b, off);
    }

    static short getShort(byte[] b, int off) {
        return (short) SHORT.get(b, off);
    }

    static void putInt(byte[] b, int off, int v) {
        INT.set(b, off, v);
    }

    static void putShort(byte[] b, int off, short v) {
        SHORT.set(b, off, v);
    }
}
