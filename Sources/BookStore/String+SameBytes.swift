#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension String {
    /// Byte-for-byte equality of the UTF-8: a save "changes nothing" only when it is the
    /// same bytes. (`==` compares canonical equivalence, which for non-ASCII text of a long
    /// chapter means normalising both, and calls a change of normalisation no change.)
    public func hasSameBytes(as other: String) -> Bool {
        guard self.utf8.count == other.utf8.count else { return false }
        var a = self, b = other
        return a.withUTF8 { a in b.withUTF8 { b in a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 } }
    }
}
