package org.classtop.plugins.cctv.recording;

import org.classtop.api.agent.CommandException;

/**
 * A CCTV command failure: one sentence plus the contract's code (CAMERA_NOT_FOUND, RECORDING_NOT_FOUND,
 * BAD_PARAMS, NOT_RECORDING, RECORDING_BUSY). The agent answers the sentence; {@link #code()} is what the
 * server maps to an HTTP status once the platform carries codes (tests assert both).
 */
public class CctvFailure extends CommandException {
    private static final long serialVersionUID = 1L;
    private final String code;

    public CctvFailure(String code, String sentence) {
        super(sentence);
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static CctvFailure badParams(String sentence) {
        return new CctvFailure("BAD_PARAMS", sentence);
    }
}
