import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An SVG with its active content taken out, and what was taken.
public struct CleanedSVG: Sendable, Equatable {
    /// The cleaned document, UTF-8.
    public var data: Data
    /// What was dropped, each thing once, in the order first met (`<script>`, `onload`).
    public var dropped: [String]
}

/// Why an SVG cannot be cleaned: it is not well-formed XML, declares entities, or has no
/// `svg` root. A one-line reason a person can act on.
public struct SVGRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public var description: String { self.reason }
}

/// Makes an SVG safe to store, show and export: every image that comes into a book (an
/// upload, an import, a book folder read for an export) goes through here.
///
/// An allow-list, read with a real XML parser: SVG elements and attributes that draw are
/// kept; everything else (script, event handlers, `foreignObject`, elements of other
/// namespaces, unknown attributes) goes, and so does any reference that would fetch or run
/// something: `href` to anything but a fragment (a link may also go to http, https or
/// mailto; an image may be a `data:` PNG, JPEG, GIF or WebP), `url()` to anything but a
/// fragment, `@import`, animations that set `href`. A DOCTYPE with an internal subset is
/// refused, never expanded (entities can grow without bound or read files); a plain DOCTYPE,
/// comments and processing instructions are dropped. Attributes come out sorted by name
/// (the parser does not keep their order), so the same input always gives the same bytes.
public enum SVGCleaner {
    static let svgNamespace = "http://www.w3.org/2000/svg"
    static let xlinkNamespace = "http://www.w3.org/1999/xlink"

    public static func clean(_ data: Data) throws(SVGRefusal) -> CleanedSVG {
        let prolog = data.withUnsafeBytes { SVGProlog.scan($0.bindMemory(to: UInt8.self)) }
        if prolog.internalSubset {
            throw SVGRefusal(reason: "declares a DTD internal subset (<!DOCTYPE ... [ ... ]>), whose entities are never expanded; save the SVG without it")
        }
        let builder = SVGTreeBuilder()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        parser.externalEntityResolvingPolicy = .never
        parser.delegate = builder
        // Foundation runs libxml2 in recovery mode, which mends some broken documents without
        // a word: an end tag that closes another element, or elements left open at the end,
        // are caught here too (`SVGTreeBuilder.open`).
        let parsed = parser.parse() && parser.parserError == nil && builder.open.isEmpty && builder.mismatch == nil
        if let failure = builder.failure ?? (parsed ? nil : builder.parseError ?? builder.unclosed(parser)) {
            throw SVGRefusal(reason: failure)
        }
        guard let root = builder.root else { throw SVGRefusal(reason: "has no svg root element") }
        var out = prolog.declaration ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" : ""
        root.write(to: &out)
        out += "\n"
        return CleanedSVG(data: Data(out.utf8), dropped: builder.dropped)
    }
}

/// One kept element: its name as written, attributes, and children (elements or text).
final class SVGElement {
    let name: String
    var attributes: [(name: String, value: String)]
    var children: [Child] = []
    enum Child { case element(SVGElement), text(String) }

    init(name: String, attributes: [(name: String, value: String)]) {
        self.name = name
        self.attributes = attributes
    }

    func write(to out: inout String) {
        out += "<" + self.name
        for attribute in self.attributes {
            out += " \(attribute.name)=\"\(SVGEscape.attribute(attribute.value))\""
        }
        guard !self.children.isEmpty else {
            out += "/>"
            return
        }
        out += ">"
        for child in self.children {
            switch child {
            case .element(let element): element.write(to: &out)
            case .text(let text): out += SVGEscape.text(text)
            }
        }
        out += "</\(self.name)>"
    }
}

enum SVGEscape {
    static func text(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    static func attribute(_ value: String) -> String {
        var out = ""
        for character in value.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t": out += "&#9;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}

/// The parser's delegate: keeps what the allow-list allows, notes what it drops.
final class SVGTreeBuilder: NSObject, XMLParserDelegate {
    var root: SVGElement?
    var dropped: [String] = []
    private var seenDrops: Set<String> = []
    var failure: String?
    var parseError: String?
    /// The names of every open element, kept or dropped, to check that each end tag closes
    /// the element it should.
    var open: [String] = []
    var mismatch: String?

    func unclosed(_ parser: XMLParser) -> String {
        if let mismatch { return "not well-formed XML: \(mismatch)" }
        if let name = self.open.last { return "not well-formed XML: <\(name)> is never closed" }
        return "not well-formed XML (line \(parser.lineNumber), column \(parser.columnNumber))"
    }

    /// The open kept elements; while `skipping` > 0 we are inside a dropped one.
    private var stack: [SVGElement] = []
    private var skipping = 0
    /// Namespace declarations in scope, innermost last (prefix "" is the default).
    private var scopes: [[String: String]] = []

    func drop(_ what: String) {
        if self.seenDrops.insert(what).inserted { self.dropped.append(what) }
    }

    func namespace(of prefix: String) -> String? {
        for scope in self.scopes.reversed() {
            if let uri = scope[prefix] { return uri }
        }
        // An SVG without xmlns is still read as SVG; `xml` is bound by XML itself.
        if prefix.isEmpty { return SVGCleaner.svgNamespace }
        return prefix == "xml" ? "http://www.w3.org/XML/1998/namespace" : nil
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?, attributes attributeDict: [String: String]) {
        var scope: [String: String] = [:]
        for (name, value) in attributeDict {
            if name == "xmlns" { scope[""] = value }
            if name.hasPrefix("xmlns:") { scope[String(name.dropFirst(6))] = value }
        }
        self.scopes.append(scope)
        self.open.append(elementName)
        if self.skipping > 0 {
            self.skipping += 1
            return
        }
        let (prefix, local) = SVGNames.split(elementName)
        let isSVG = self.namespace(of: prefix) == SVGCleaner.svgNamespace
        if self.root == nil && !(isSVG && local == "svg") {
            self.failure = "the root element is <\(elementName)>, not an SVG <svg>"
            parser.abortParsing()
            return
        }
        guard isSVG, SVGNames.elements.contains(local) else {
            self.drop("<\(elementName)>")
            self.skipping = 1
            return
        }
        if SVGNames.animations.contains(local), let target = attributeDict["attributeName"] {
            let (_, targetLocal) = SVGNames.split(target.trimmingCharacters(in: .whitespaces).lowercased())
            if targetLocal == "href" || targetLocal.hasPrefix("on") || targetLocal == "style" {
                self.drop("<\(elementName)> of \(target)")
                self.skipping = 1
                return
            }
        }
        let element = SVGElement(name: elementName, attributes: self.keptAttributes(attributeDict, of: local))
        if let parent = self.stack.last {
            parent.children.append(.element(element))
        } else {
            self.root = element
        }
        self.stack.append(element)
    }

    private func keptAttributes(_ attributes: [String: String], of element: String) -> [(name: String, value: String)] {
        var kept: [(name: String, value: String)] = []
        for (name, value) in attributes {
            let (prefix, local) = SVGNames.split(name)
            if name == "xmlns" || prefix == "xmlns" {
                // Only the namespaces that kept names can be in; others leave with their names.
                if value == SVGCleaner.svgNamespace || value == SVGCleaner.xlinkNamespace { kept.append((name, value)) }
                continue
            }
            let namespace = prefix.isEmpty ? "" : self.namespace(of: prefix)
            let allowed: Bool
            switch namespace {
            case "": allowed = SVGNames.attributes.contains(local) || local.hasPrefix("aria-")
            case SVGCleaner.xlinkNamespace?: allowed = local == "href" || local == "title"
            case "http://www.w3.org/XML/1998/namespace"?: allowed = local == "space" || local == "lang"
            default: allowed = false
            }
            guard allowed else {
                self.drop(local.lowercased().hasPrefix("on") ? "event handler \(name)" : "attribute \(name)")
                continue
            }
            if local == "href" {
                guard SVGReference.isAllowed(value, on: element) else {
                    self.drop("\(name) '\(SVGReference.shown(value))' on <\(element)>")
                    continue
                }
                kept.append((name, value))
            } else if name == "style" {
                let css = SVGStyle.clean(value)
                if css.droppedSomething { self.drop("style with \(css.reason)") }
                if !css.text.trimmingCharacters(in: .whitespaces).isEmpty { kept.append((name, css.text)) }
            } else if let reason = SVGStyle.problem(in: value) {
                self.drop("attribute \(name) with \(reason)")
            } else {
                kept.append((name, value))
            }
        }
        return kept.sorted { SVGNames.order($0.name, $1.name) }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        self.scopes.removeLast()
        if self.open.popLast() != elementName, self.mismatch == nil {
            self.mismatch = "</\(elementName)> closes another element (line \(parser.lineNumber))"
        }
        if self.skipping > 0 {
            self.skipping -= 1
            return
        }
        guard let element = self.stack.popLast() else { return }
        if SVGNames.split(element.name).local == "style" {
            let text = element.children.map { if case .text(let text) = $0 { text } else { "" } }.joined()
            let css = SVGStyle.clean(text)
            if css.droppedSomething { self.drop("<style> with \(css.reason)") }
            element.children = css.text.isEmpty ? [] : [.text(css.text)]
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard self.skipping == 0, let element = self.stack.last else { return }
        if case .text(let previous)? = element.children.last {
            element.children[element.children.count - 1] = .text(previous + string)
        } else {
            element.children.append(.text(string))
        }
    }

    func parser(_ parser: XMLParser, foundIgnorableWhitespace whitespaceString: String) {
        self.parser(parser, foundCharacters: whitespaceString)
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        self.parser(parser, foundCharacters: String(decoding: CDATABlock, as: UTF8.self))
    }

    func parser(_ parser: XMLParser, foundProcessingInstructionWithTarget target: String, data: String?) {
        self.drop("processing instruction <?\(target)?>")
    }

    // Declarations never reach here past the prolog check; should one, nothing is expanded.
    func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
        self.refuseEntities(parser)
    }

    func parser(_ parser: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?, systemID: String?) {
        self.refuseEntities(parser)
    }

    func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? { nil }

    private func refuseEntities(_ parser: XMLParser) {
        self.failure = self.failure ?? "declares entities, which are never expanded"
        parser.abortParsing()
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        guard self.parseError == nil else { return }
        let message = ((parseError as NSError).userInfo[NSLocalizedDescriptionKey] as? String)?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let detail = message.map { ": \($0)" } ?? ""
        self.parseError = "not well-formed XML (line \(parser.lineNumber), column \(parser.columnNumber))\(detail)"
    }
}

/// The allow-lists: SVG 1.1 and 2 elements and attributes that draw, and nothing that runs.
enum SVGNames {
    static func split(_ name: String) -> (prefix: String, local: String) {
        guard let colon = name.firstIndex(of: ":") else { return ("", name) }
        return (String(name[..<colon]), String(name[name.index(after: colon)...]))
    }

    /// `xmlns` first, then its prefixed kin, then the rest by name.
    static func order(_ a: String, _ b: String) -> Bool {
        func rank(_ name: String) -> Int { name == "xmlns" ? 0 : name.hasPrefix("xmlns:") ? 1 : 2 }
        return (rank(a), a) < (rank(b), b)
    }

    static let animations: Set<String> = ["animate", "animateMotion", "animateTransform", "set"]

    static let elements: Set<String> = [
        "a", "animate", "animateMotion", "animateTransform", "circle", "clipPath", "defs", "desc", "ellipse",
        "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feConvolveMatrix", "feDiffuseLighting",
        "feDisplacementMap", "feDistantLight", "feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR",
        "feGaussianBlur", "feImage", "feMerge", "feMergeNode", "feMorphology", "feOffset", "fePointLight",
        "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence", "filter", "g", "image", "line",
        "linearGradient", "marker", "mask", "mpath", "path", "pattern", "polygon", "polyline", "radialGradient",
        "rect", "set", "stop", "style", "svg", "switch", "symbol", "text", "textPath", "title", "tspan", "use", "view",
    ]

    static let attributes: Set<String> = [
        // Core, accessibility, links.
        "id", "class", "style", "lang", "role", "tabindex", "href", "target", "type", "media", "title",
        "version", "baseProfile", "systemLanguage", "requiredExtensions", "requiredFeatures",
        // Geometry and coordinate systems.
        "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "fr", "width", "height", "d",
        "points", "pathLength", "transform", "viewBox", "preserveAspectRatio", "enable-background",
        // Painting.
        "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-linecap",
        "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "opacity", "color",
        "color-interpolation", "color-interpolation-filters", "color-rendering", "display", "visibility", "overflow",
        "clip", "clip-path", "clip-rule", "clipPathUnits", "mask", "maskUnits", "maskContentUnits", "filter",
        "filterUnits", "primitiveUnits", "flood-color", "flood-opacity", "lighting-color", "stop-color",
        "stop-opacity", "offset", "gradientUnits", "gradientTransform", "spreadMethod", "patternUnits",
        "patternContentUnits", "patternTransform", "marker-start", "marker-mid", "marker-end", "markerWidth",
        "markerHeight", "markerUnits", "refX", "refY", "orient", "shape-rendering", "image-rendering",
        "vector-effect", "paint-order", "mix-blend-mode", "isolation", "pointer-events", "cursor", "transform-origin",
        // Text.
        "font-family", "font-size", "font-size-adjust", "font-stretch", "font-style", "font-variant", "font-weight",
        "text-anchor", "text-decoration", "text-rendering", "dominant-baseline", "alignment-baseline",
        "baseline-shift", "letter-spacing", "word-spacing", "writing-mode", "direction", "unicode-bidi", "dx", "dy",
        "rotate", "textLength", "lengthAdjust", "startOffset", "method", "spacing", "side",
        // Filter primitives.
        "in", "in2", "result", "stdDeviation", "mode", "values", "tableValues", "slope", "intercept", "amplitude",
        "exponent", "operator", "k1", "k2", "k3", "k4", "order", "kernelMatrix", "divisor", "bias", "targetX",
        "targetY", "edgeMode", "kernelUnitLength", "preserveAlpha", "surfaceScale", "diffuseConstant",
        "specularConstant", "specularExponent", "scale", "xChannelSelector", "yChannelSelector", "azimuth",
        "elevation", "z", "pointsAtX", "pointsAtY", "pointsAtZ", "limitingConeAngle", "radius", "baseFrequency",
        "numOctaves", "seed", "stitchTiles",
        // Animation (targets checked apart).
        "attributeName", "attributeType", "begin", "dur", "end", "min", "max", "restart", "repeatCount",
        "repeatDur", "calcMode", "keyTimes", "keySplines", "from", "to", "by", "additive", "accumulate", "path",
        "keyPoints",
    ]
}

/// Which `href` values may stay: a fragment in the same document anywhere; on `<a>` also a
/// web or mail link (following it opens a page, it loads nothing into the picture); on
/// `<image>` and `<feImage>` also a `data:` picture of a raster format. Decided on the value
/// as a browser reads it: spaces and control characters around it and tabs and newlines
/// within it do not count.
enum SVGReference {
    static func isAllowed(_ value: String, on element: String) -> Bool {
        let url = String(String.UnicodeScalarView(value.unicodeScalars.filter { $0 != "\t" && $0 != "\n" && $0 != "\r" }))
            .trimmingCharacters(in: CharacterSet(charactersIn: " ").union(.controlCharacters))
        if url.hasPrefix("#") { return true }
        let lower = url.lowercased()
        switch element {
        case "a":
            return ["http://", "https://", "mailto:"].contains { lower.hasPrefix($0) }
        case "image", "feImage":
            return ["png", "jpeg", "gif", "webp"].contains { lower.hasPrefix("data:image/\($0);base64,") }
        default:
            return false
        }
    }

    /// The value as a report shows it: at most 60 characters.
    static func shown(_ value: String) -> String {
        value.count > 60 ? value.prefix(57) + "..." : value
    }
}

/// CSS in an SVG (`<style>`, `style=`, presentation attributes) may fetch: `url()` to
/// anything but a fragment, `@import`, `image-set()` and kin. Declarations and rules that
/// do are dropped; CSS with escapes (`\75 rl(`), which could spell any of these, goes whole.
enum SVGStyle {
    static let fetching = ["@import", "image-set(", "image(", "cross-fade(", "element(", "src(", "expression(", "-moz-binding", "behavior:"]

    /// Why `value` may fetch or run something, nil when it cannot.
    static func problem(in value: String) -> String? {
        let lower = Self.withoutComments(value).lowercased()
        if lower.contains("\\") && (lower.contains("(") || lower.contains("@")) { return "CSS escapes" }
        if let found = Self.fetching.first(where: { lower.contains($0) }) { return found.trimmingCharacters(in: CharacterSet(charactersIn: "(:")) }
        var rest = lower[...]
        while let open = rest.range(of: "url(") {
            let target = rest[open.upperBound...].drop { $0 == " " || $0 == "\"" || $0 == "'" }
            if !target.hasPrefix("#") { return "an external url()" }
            rest = rest[open.upperBound...]
        }
        return nil
    }

    /// `css` without the declarations and at-rules that fetch, and what that took out.
    static func clean(_ css: String) -> (text: String, droppedSomething: Bool, reason: String) {
        guard let first = Self.problem(in: css) else { return (css, false, "") }
        if first == "CSS escapes" { return ("", true, first) }
        // Split at `;`, `{` and `}` outside strings and parentheses; keep each piece that is safe.
        var out = ""
        var piece = ""
        var quote: Character?
        var depth = 0
        var reasons: [String] = []
        func flush(_ delimiter: Character?) {
            if let reason = Self.problem(in: piece) {
                if !reasons.contains(reason) { reasons.append(reason) }
                // A dropped rule's selector goes with its block: keep the braces balanced.
                if delimiter == "{" { out += "x-dropped{" }
                else if let delimiter, delimiter == "}" { out.append(delimiter) }
            } else {
                out += piece
                if let delimiter { out.append(delimiter) }
            }
            piece = ""
        }
        for character in Self.withoutComments(css) {
            if let open = quote {
                piece.append(character)
                if character == open { quote = nil }
                continue
            }
            switch character {
            case "\"", "'": quote = character; piece.append(character)
            case "(": depth += 1; piece.append(character)
            case ")": depth = max(0, depth - 1); piece.append(character)
            case ";", "{", "}":
                if depth == 0 { flush(character) } else { piece.append(character) }
            default: piece.append(character)
            }
        }
        flush(nil)
        return (out, true, reasons.joined(separator: ", "))
    }

    static func withoutComments(_ css: String) -> String {
        guard css.contains("/*") else { return css }
        var out = ""
        var rest = css[...]
        while let open = rest.range(of: "/*") {
            out += rest[..<open.lowerBound] + " "
            guard let close = rest[open.upperBound...].range(of: "*/") else { return out }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }
}
