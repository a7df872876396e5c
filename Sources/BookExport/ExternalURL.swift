import Foundation

/// Links out of the book (`http:`, `https:`, `mailto:`, `//host`) as a browser reads them,
/// written the one way every checker accepts.
///
/// The URL is parsed per the WHATWG URL Standard, as a browser would (tabs and newlines
/// removed, `\` read as `/` in web addresses, any number of slashes after the scheme,
/// `.` and `..` segments resolved, host lower-cased and IDN hosts in Punycode, IPv4 in any
/// of its spellings, IPv6 compressed, a default port dropped), then serialised with every
/// character that is not a URL code point percent-encoded, a `%` without two hex digits
/// included (`%25`): EPUBCheck and the Nu HTML Checker reject what the standard merely
/// calls a validation error. A link that cannot be parsed (no or an invalid host, a port
/// out of range, an unclosed `[`) is a failure, which the renderer writes as plain text.
/// `//host` links get `https:`: a book has no web page to take the scheme from.
enum ExternalURL {
    /// Why a link cannot be a URL, worded to end "... is not a valid web address (WHY)".
    struct Failure: Error, Equatable, CustomStringConvertible {
        let description: String
        init(_ reason: String) { self.description = reason }
    }

    static func normalised(_ url: String) -> Result<String, Failure> {
        var scalars = Self.browserInput(url)
        if scalars.starts(with: ["/", "/"]) || scalars.starts(with: ["\\", "\\"]) {
            scalars.insert(contentsOf: Array("https:".unicodeScalars), at: 0)
        }
        guard let colon = scalars.firstIndex(of: ":") else { return .failure(Failure("no scheme")) }
        let scheme = String(String.UnicodeScalarView(scalars[..<colon])).lowercased()
        let rest = Array(scalars[(colon + 1)...])
        switch scheme {
        case "http", "https": return Self.web(scheme, rest)
        case "mailto": return .success("mailto:" + Self.opaque(rest))
        default: return .failure(Failure("'\(scheme.prefix(20)):' is not a web or mail address"))
        }
    }

    /// What a browser parses: leading and trailing C0 controls and spaces stripped, tabs
    /// and newlines removed anywhere (XML cannot carry the other controls: dropped too).
    private static func browserInput(_ url: String) -> [Unicode.Scalar] {
        var scalars = Array(url.unicodeScalars.filter { $0.value >= 0x20 })
        while let first = scalars.first, first.value <= 0x20 { scalars.removeFirst() }
        while let last = scalars.last, last.value <= 0x20 { scalars.removeLast() }
        return scalars
    }

    // MARK: http and https

    private static func web(_ scheme: String, _ input: [Unicode.Scalar]) -> Result<String, Failure> {
        var rest = input[...]
        while let first = rest.first, first == "/" || first == "\\" { rest.removeFirst() }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "\\" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        rest = rest[authorityEnd...]

        var userinfo = ""
        if let at = authority.lastIndex(of: "@") {
            let credentials = authority[..<at]
            let colon = credentials.firstIndex(of: ":")
            userinfo = Self.encode(credentials[..<(colon ?? credentials.endIndex)], keeping: Self.userinfoKept)
            if let colon {
                userinfo += ":" + Self.encode(credentials[(colon + 1)...], keeping: Self.userinfoKept)
            }
            if userinfo == ":" { userinfo = "" }
            if !userinfo.isEmpty { userinfo += "@" }
            authority = authority[(at + 1)...]
        }

        // The port follows the first ':' outside brackets.
        var hostPart = authority
        var port: String?
        var inBrackets = false
        for index in authority.indices {
            switch authority[index] {
            case "[": inBrackets = true
            case "]": inBrackets = false
            case ":" where !inBrackets:
                hostPart = authority[..<index]
                port = String(String.UnicodeScalarView(authority[(index + 1)...]))
            default: continue
            }
            if port != nil { break }
        }
        let host: String
        switch Self.host(hostPart) {
        case .success(let parsed): host = parsed
        case .failure(let failure): return .failure(failure)
        }
        var portText = ""
        if let port, !port.isEmpty {
            guard port.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) else {
                return .failure(Failure("port '\(port.prefix(10))' is not a number"))
            }
            let digits = port.drop { $0 == "0" }
            guard digits.count <= 5, let number = Int(digits.isEmpty ? "0" : digits), number <= 65535 else {
                return .failure(Failure("port \(port.prefix(10)) is out of range"))
            }
            if number != (scheme == "http" ? 80 : 443) { portText = ":\(number)" }
        }

        let queryStart = rest.firstIndex(of: "?")
        let fragmentStart = rest.firstIndex(of: "#")
        let pathEnd = [queryStart, fragmentStart].compactMap { $0 }.min() ?? rest.endIndex
        // An empty path stays empty (`https://example.com`): valid, and as written.
        let path = pathEnd == rest.startIndex ? "" : Self.path(rest[..<pathEnd])
        var out = scheme + "://" + userinfo + host + portText + path
        if let queryStart, queryStart < (fragmentStart ?? rest.endIndex) {
            out += "?" + Self.encode(rest[(queryStart + 1)..<(fragmentStart ?? rest.endIndex)], keeping: Self.queryKept)
        }
        if let fragmentStart {
            out += "#" + Self.encode(rest[(fragmentStart + 1)...], keeping: Self.fragmentKept)
        }
        return .success(out)
    }

    /// `/a/./b/../c` -> `/a/c`, `\` as `/`, `%2e` as `.`; starts with `/`.
    private static func path(_ input: ArraySlice<Unicode.Scalar>) -> String {
        var segments: [String] = []
        let parts = input.split(omittingEmptySubsequences: false) { $0 == "/" || $0 == "\\" }
        // The path starts with a slash (or is empty): the first part is empty.
        for (i, part) in parts.enumerated() where !(i == 0 && part.isEmpty) {
            let segment = Self.encode(part, keeping: Self.pathKept)
            let last = i == parts.count - 1
            switch segment.lowercased() {
            case ".", "%2e":
                if last { segments.append("") }
            case "..", ".%2e", "%2e.", "%2e%2e":
                if !segments.isEmpty { segments.removeLast() }
                if last { segments.append("") }
            default:
                segments.append(segment)
            }
        }
        return "/" + segments.joined(separator: "/")
    }

    // MARK: Hosts

    private static func host(_ input: ArraySlice<Unicode.Scalar>) -> Result<String, Failure> {
        if input.first == "[" {
            guard input.last == "]", input.count >= 2,
                  let address = IPv6(input.dropFirst().dropLast()) else {
                return .failure(Failure("invalid IPv6 address"))
            }
            return .success("[\(address)]")
        }
        // Percent-decoded, then read as UTF-8.
        var bytes: [UInt8] = []
        let utf8 = Array(String(String.UnicodeScalarView(input)).utf8)
        var i = 0
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "%"), i + 2 < utf8.count, let byte = UInt8(String(decoding: utf8[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                bytes.append(byte)
                i += 3
            } else {
                bytes.append(utf8[i])
                i += 1
            }
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            return .failure(Failure("host is not UTF-8"))
        }
        guard !decoded.isEmpty else { return .failure(Failure("no host")) }
        // UTS 46 in short: ideographic full stops are dots, letters lower-cased, NFC.
        let mapped = decoded.precomposedStringWithCanonicalMapping.lowercased()
            .replacingOccurrences(of: "\u{3002}", with: ".").replacingOccurrences(of: "\u{FF0E}", with: ".")
            .replacingOccurrences(of: "\u{FF61}", with: ".")
        var labels: [String] = []
        for label in mapped.split(separator: ".", omittingEmptySubsequences: false) {
            if label.unicodeScalars.allSatisfy(\.isASCII) {
                labels.append(String(label))
            } else {
                guard let encoded = Punycode.encode(String(label)) else { return .failure(Failure("invalid host")) }
                labels.append("xn--" + encoded)
            }
        }
        let ascii = labels.joined(separator: ".")
        if let bad = ascii.unicodeScalars.first(where: { $0.value < 0x21 || $0.value == 0x7F || Self.forbiddenInHost.contains($0) }) {
            return .failure(Failure(bad == " " ? "space in the host" : "'\(bad.escaped(asASCII: true))' in the host"))
        }
        guard ascii.contains(where: { $0 != "." }) else { return .failure(Failure("no host")) }
        // A host whose last label is a number is an IPv4 address, in any of its spellings.
        var numeric = labels
        if numeric.count > 1, numeric.last == "" { numeric.removeLast() }
        if let last = numeric.last, Self.ipv4Number(last) != nil || last.allSatisfy(\.isNumber) {
            guard let address = Self.ipv4(numeric) else { return .failure(Failure("invalid IPv4 address")) }
            return .success(address)
        }
        return .success(ascii)
    }

    private static let forbiddenInHost = Set("#%/:<>?@[\\]^|".unicodeScalars)

    private static func ipv4(_ parts: [String]) -> String? {
        guard (1...4).contains(parts.count) else { return nil }
        let numbers = parts.map(Self.ipv4Number)
        guard numbers.allSatisfy({ $0 != nil }) else { return nil }
        let values = numbers.map { $0! }
        guard values.dropLast().allSatisfy({ $0 <= 255 }) else { return nil }
        let limit = 1 << (8 * (5 - values.count))
        guard values.last! < limit else { return nil }
        var address = values.last!
        for (i, value) in values.dropLast().enumerated() { address += value << (8 * (3 - i)) }
        return (0..<4).map { String((address >> (8 * (3 - $0))) & 0xFF) }.joined(separator: ".")
    }

    /// `0x7f` (hex), `0177` (octal) or `127`.
    private static func ipv4Number(_ text: String) -> Int? {
        guard !text.isEmpty else { return nil }
        var digits = Substring(text)
        var radix = 10
        if digits.count >= 2, digits.hasPrefix("0x") || digits.hasPrefix("0X") {
            digits = digits.dropFirst(2)
            radix = 16
        } else if digits.count >= 2, digits.hasPrefix("0") {
            digits = digits.dropFirst()
            radix = 8
        }
        if digits.isEmpty { return 0 }
        guard digits.count <= 12 else { return nil }
        return Int(digits, radix: radix)
    }

    /// The eight pieces of an IPv6 address, written compressed (RFC 5952), or nil.
    private static func IPv6(_ input: ArraySlice<Unicode.Scalar>) -> String? {
        var text = String(String.UnicodeScalarView(input)).lowercased()
        var pieces: [Int] = []
        // A trailing dotted IPv4 part gives the last two pieces.
        if let lastColon = text.lastIndex(of: ":"), text[lastColon...].contains(".") {
            let v4 = text[text.index(after: lastColon)...].split(separator: ".", omittingEmptySubsequences: false)
            guard v4.count == 4, let octets = Optional(v4.compactMap { UInt8($0) }), octets.count == 4,
                  v4.allSatisfy({ $0.count == 1 || !$0.hasPrefix("0") }) else { return nil }
            text = String(text[...lastColon]) + String(Int(octets[0]) << 8 | Int(octets[1]), radix: 16)
                + ":" + String(Int(octets[2]) << 8 | Int(octets[3]), radix: 16)
        }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func parse(_ half: String) -> [Int]? {
            if half.isEmpty { return [] }
            var out: [Int] = []
            for piece in half.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(piece.count), let value = Int(piece, radix: 16) else { return nil }
                out.append(value)
            }
            return out
        }
        guard let head = parse(halves[0]) else { return nil }
        if halves.count == 2 {
            guard let tail = parse(halves[1]), head.count + tail.count <= 7 else { return nil }
            pieces = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard head.count == 8 else { return nil }
            pieces = head
        }
        // The longest run of two or more zero pieces becomes "::".
        var best = (start: -1, length: 1)
        var i = 0
        while i < 8 {
            var j = i
            while j < 8, pieces[j] == 0 { j += 1 }
            if j - i > best.length { best = (i, j - i) }
            i = max(j, i + 1)
        }
        var out = ""
        i = 0
        while i < 8 {
            if i == best.start {
                out += i == 0 ? "::" : ":"
                i += best.length
                continue
            }
            out += String(pieces[i], radix: 16) + (i < 7 ? ":" : "")
            i += 1
        }
        return out
    }

    // MARK: Percent-encoding

    /// ASCII URL code points: what may stand unencoded anywhere in a URL.
    private static let urlCodePoints = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!$&'()*+,-./:;=?@_~".unicodeScalars)
    private static let pathKept = Self.urlCodePoints.subtracting(["?"])
    private static let queryKept = Self.urlCodePoints.subtracting(["'"])
    private static let fragmentKept = Self.urlCodePoints
    private static let userinfoKept = Self.urlCodePoints.subtracting(["/", ":", ";", "=", "@", "?"])
    private static let opaqueKept = Self.urlCodePoints

    /// A mailto address, its `?params` and `#fragment` encoded alike.
    private static func opaque(_ input: [Unicode.Scalar]) -> String {
        guard let hash = input.firstIndex(of: "#") else { return Self.encode(input[...], keeping: Self.opaqueKept) }
        return Self.encode(input[..<hash], keeping: Self.opaqueKept) + "#"
            + Self.encode(input[(hash + 1)...], keeping: Self.fragmentKept)
    }

    /// `input` with every scalar outside `kept` as UTF-8 `%XX`; a `%` stays when two hex
    /// digits follow it (an encoding already made), and becomes `%25` otherwise.
    private static func encode(_ input: ArraySlice<Unicode.Scalar>, keeping kept: Set<Unicode.Scalar>) -> String {
        var out = ""
        var i = input.startIndex
        while i < input.endIndex {
            let scalar = input[i]
            if scalar == "%", i + 2 < input.endIndex, input[i + 1].isHexDigit, input[i + 2].isHexDigit {
                out.unicodeScalars.append(contentsOf: input[i...(i + 2)])
                i += 3
                continue
            }
            if kept.contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else {
                for byte in String(scalar).utf8 { out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true) }
            }
            i += 1
        }
        return out
    }
}

extension Unicode.Scalar {
    fileprivate var isHexDigit: Bool {
        ("0"..."9").contains(self) || ("a"..."f").contains(self) || ("A"..."F").contains(self)
    }
}

/// RFC 3492 Punycode, for the labels of internationalised host names.
enum Punycode {
    static func encode(_ label: String) -> String? {
        let input = label.unicodeScalars.map(\.value)
        let base: UInt32 = 36, tMin: UInt32 = 1, tMax: UInt32 = 26, skew: UInt32 = 38, damp: UInt32 = 700
        var output = input.filter { $0 < 0x80 }.map { Character(Unicode.Scalar($0)!) }
        let basicCount = UInt32(output.count)
        if basicCount > 0 { output.append("-") }
        var n: UInt32 = 0x80, delta: UInt32 = 0, bias: UInt32 = 72, handled = basicCount

        func digit(_ d: UInt32) -> Character {
            Character(Unicode.Scalar(d < 26 ? d + 97 : d + 22)!)
        }
        func adapt(_ delta: UInt32, _ count: UInt32, _ first: Bool) -> UInt32 {
            var delta = first ? delta / damp : delta / 2
            delta += delta / count
            var k: UInt32 = 0
            while delta > ((base - tMin) * tMax) / 2 {
                delta /= base - tMin
                k += base
            }
            return k + (base - tMin + 1) * delta / (delta + skew)
        }
        while handled < UInt32(input.count) {
            guard let m = input.filter({ $0 >= n }).min() else { return nil }
            let (product, overflow) = (m - n).multipliedReportingOverflow(by: handled + 1)
            guard !overflow, delta <= UInt32.max - product else { return nil }
            delta += product
            n = m
            for c in input {
                if c < n {
                    delta += 1
                    guard delta != 0 else { return nil }
                }
                if c == n {
                    var q = delta
                    var k = base
                    while true {
                        let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                        if q < t { break }
                        output.append(digit(t + (q - t) % (base - t)))
                        q = (q - t) / (base - t)
                        k += base
                    }
                    output.append(digit(q))
                    bias = adapt(delta, handled + 1, handled == basicCount)
                    delta = 0
                    handled += 1
                }
            }
            delta += 1
            n += 1
        }
        return String(output)
    }
}
