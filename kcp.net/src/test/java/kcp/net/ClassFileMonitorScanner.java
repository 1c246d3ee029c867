package kcp.net;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal class-file reader (JVMS 4) that reports monitor use: methods with ACC_SYNCHRONIZED (0x0020)
 * and {@code monitorenter}/{@code monitorexit} (0xC2/0xC3) instructions, found by walking each Code
 * attribute instruction by instruction (so operand bytes equal to 0xC2 are not mistaken for opcodes).
 */
final class ClassFileMonitorScanner {
    private static final int ACC_SYNCHRONIZED = 0x0020;

    private ClassFileMonitorScanner() {
    }

    /** @return one line per finding, "Class.method: reason"; empty if the class uses no monitor */
    static List<String> scan(InputStream classFile) throws IOException {
        DataInputStream in = new DataInputStream(classFile);
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file (bad magic)");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        String[] utf8 = readConstantPool(in);
        in.readUnsignedShort(); // access flags
        String className = "class#" + in.readUnsignedShort();
        in.readUnsignedShort(); // super
        int interfaces = in.readUnsignedShort();
        for (int i = 0; i < interfaces; i++) {
            in.readUnsignedShort();
        }
        int fields = in.readUnsignedShort();
        for (int i = 0; i < fields; i++) {
            in.readUnsignedShort();
            in.readUnsignedShort();
            in.readUnsignedShort();
            skipAttributes(in);
        }
        List<String> findings = new ArrayList<>();
        int methods = in.readUnsignedShort();
        for (int i = 0; i < methods; i++) {
            int access = in.readUnsignedShort();
            String name = utf8[in.readUnsignedShort()];
            in.readUnsignedShort(); // descriptor
            if ((access & ACC_SYNCHRONIZED) != 0) {
                findings.add(className + "." + name + ": synchronized method");
            }
            int attrs = in.readUnsignedShort();
            for (int a = 0; a < attrs; a++) {
                String attrName = utf8[in.readUnsignedShort()];
                int len = in.readInt();
                byte[] body = in.readNBytes(len);
                if ("Code".equals(attrName)) {
                    scanCode(body, className + "." + name, findings);
                }
            }
        }
        return findings;
    }

    private static String[] readConstantPool(DataInputStream in) throws IOException {
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;
                }
                case 7, 8, 16, 19, 20 -> in.readUnsignedShort();
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag + " at index " + i);
            }
        }
        return utf8;
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
        int attrs = in.readUnsignedShort();
        for (int a = 0; a < attrs; a++) {
            in.readUnsignedShort();
            in.skipNBytes(in.readInt());
        }
    }

    private static void scanCode(byte[] body, String where, List<String> findings) throws IOException {
        // Code attribute: max_stack u2, max_locals u2, code_length u4, code[...]
        int codeLength = readInt(body, 4);
        int start = 8;
        int pc = 0;
        while (pc < codeLength) {
            int op = body[start + pc] & 0xFF;
            if (op == 0xC2 || op == 0xC3) {
                findings.add(where + ": " + (op == 0xC2 ? "monitorenter" : "monitorexit") + " at pc " + pc);
            }
            pc += instructionLength(body, start, pc, op);
        }
    }

    private static int instructionLength(byte[] body, int start, int pc, int op) throws IOException {
        switch (op) {
            case 0xAA -> { // tableswitch
                int p = pc + 1 + ((4 - (pc + 1) % 4) % 4);
                int low = readInt(body, start + p + 4);
                int high = readInt(body, start + p + 8);
                return p - pc + 12 + (high - low + 1) * 4;
            }
            case 0xAB -> { // lookupswitch
                int p = pc + 1 + ((4 - (pc + 1) % 4) % 4);
                int pairs = readInt(body, start + p + 4);
                return p - pc + 8 + pairs * 8;
            }
            case 0xC4 -> { // wide
                return (body[start + pc + 1] & 0xFF) == 0x84 ? 6 : 4;
            }
            default -> {
                int len = LENGTHS[op];
                if (len == 0) {
                    throw new IOException("undefined opcode 0x" + Integer.toHexString(op) + " at pc " + pc);
                }
                return len;
            }
        }
    }

    private static int readInt(byte[] b, int i) {
        return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }

    /** Instruction lengths in bytes (opcode included) for fixed-length opcodes; 0 = undefined. */
    private static final int[] LENGTHS = new int[256];

    static {
        fill(0x00, 0x0F, 1);
        LENGTHS[0x10] = 2;
        LENGTHS[0x11] = 3;
        LENGTHS[0x12] = 2;
        LENGTHS[0x13] = 3;
        LENGTHS[0x14] = 3;
        fill(0x15, 0x19, 2);
        fill(0x1A, 0x35, 1);
        fill(0x36, 0x3A, 2);
        fill(0x3B, 0x83, 1);
        LENGTHS[0x84] = 3;
        fill(0x85, 0x98, 1);
        fill(0x99, 0xA8, 3);
        LENGTHS[0xA9] = 2;
        fill(0xAC, 0xB1, 1);
        fill(0xB2, 0xB8, 3);
        LENGTHS[0xB9] = 5;
        LENGTHS[0xBA] = 5;
        LENGTHS[0xBB] = 3;
        LENGTHS[0xBC] = 2;
        LENGTHS[0xBD] = 3;
        LENGTHS[0xBE] = 1;
        LENGTHS[0xBF] = 1;
        LENGTHS[0xC0] = 3;
        LENGTHS[0xC1] = 3;
        LENGTHS[0xC2] = 1;
        LENGTHS[0xC3] = 1;
        LENGTHS[0xC5] = 4;
        LENGTHS[0xC6] = 3;
        LENGTHS[0xC7] = 3;
        LENGTHS[0xC8] = 5;
        LENGTHS[0xC9] = 5;
    }

    private static void fill(int from, int to, int len) {
        for (int i = from; i <= to; i++) {
            LENGTHS[i] = len;
        }
    }
}
