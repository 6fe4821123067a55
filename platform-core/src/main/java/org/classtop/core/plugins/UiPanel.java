package org.classtop.core.plugins;

import java.util.List;
import java.util.Map;

/**
 * A UI panel a plugin contributes.
 *
 * @param scriptUrl where the browser loads the ES module, e.g. {@code /plugins/settings/panel.js}
 * @param titles    language tag ({@code en}, {@code zh-CN}) to title
 */
public record UiPanel(String plugin, String name, String scriptUrl, String element, String slot,
                      Map<String, String> titles, List<String> whenClientHas) {
}
