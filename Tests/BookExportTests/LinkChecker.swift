import Foundation
import TestSupport

/// A second reader, independent of the exporter: Python's zipfile and lxml open an EPUB
/// (or HTML files), parse every document as XML, and report the spine, the nav's `toc` in
/// order with labels, and every internal link or image reference that does not resolve.
enum LinkChecker {
    struct Result: Decodable {
        var spine: [String]
        var toc: [String]
        var labels: [String]
        var broken: [String]
        var stored: Bool
    }

    static let script = #"""
        import json, posixpath, sys, zipfile
        from urllib.parse import unquote, urldefrag
        from lxml import etree

        XHTML = "http://www.w3.org/1999/xhtml"
        OPS = "http://www.idpf.org/2007/ops"
        OPF = "http://www.idpf.org/2007/opf"
        mode, target = sys.argv[1], sys.argv[2]
        out = {"spine": [], "toc": [], "labels": [], "broken": [], "stored": True}

        def check_docs(read, names):
            docs, ids = {}, {}
            for name in names:
                try:
                    docs[name] = etree.fromstring(read(name))
                except etree.XMLSyntaxError as e:
                    out["broken"].append(f"{name}: not well-formed: {e}")
                    continue
                ids[name] = set(docs[name].xpath("//@id"))
            existing = set(names)
            for name, doc in docs.items():
                for attr in ("href", "src"):
                    for el in doc.xpath(f"//*[@{attr}]"):
                        ref = el.get(attr)
                        if el.tag.endswith("link") or ref.startswith(("http:", "https:", "mailto:", "data:")):
                            continue
                        path, frag = urldefrag(ref)
                        file = posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(path))) if path else name
                        if file not in existing and not read_exists(file):
                            out["broken"].append(f"{name}: {ref} (no file {file})")
                        elif frag and frag not in ids.get(file, set()):
                            out["broken"].append(f"{name}: {ref} (no id {frag})")
            return docs

        if mode == "epub":
            z = zipfile.ZipFile(target)
            first = z.infolist()[0]
            out["stored"] = first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED \
                and z.read("mimetype") == b"application/epub+zip"
            zipnames = set(z.namelist())
            read_exists = lambda n: n in zipnames
            container = etree.fromstring(z.read("META-INF/container.xml"))
            opf_path = container.xpath("//*[local-name()='rootfile']/@full-path")[0]
            base = posixpath.dirname(opf_path)
            opf = etree.fromstring(z.read(opf_path))
            items = {i.get("id"): i for i in opf.iter(f"{{{OPF}}}item")}
            for i in items.values():
                if posixpath.join(base, i.get("href")) not in zipnames:
                    out["broken"].append(f"manifest item {i.get('href')} missing from the container")
            out["spine"] = [items[r.get("idref")].get("href") for r in opf.iter(f"{{{OPF}}}itemref")]
            nav_item = [i for i in items.values() if "nav" in (i.get("properties") or "").split()][0]
            xhtml = [posixpath.join(base, i.get("href")) for i in items.values() if i.get("media-type") == "application/xhtml+xml"]
            docs = check_docs(z.read, xhtml)
            nav = docs[posixpath.join(base, nav_item.get("href"))]
            toc = nav.xpath(f"//x:nav[@epub:type='toc']//x:a", namespaces={"x": XHTML, "epub": OPS})
            out["toc"] = [a.get("href") for a in toc]
            out["labels"] = ["".join(a.itertext()).strip() for a in toc]
        else:
            import os
            read = lambda n: open(os.path.join(target, n), "rb").read()
            read_exists = lambda n: os.path.exists(os.path.join(target, n))
            names = sorted(n for n in os.listdir(target) if n.endswith(".html"))
            docs = check_docs(read, names)
            for name in names:
                for a in docs.get(name, etree.Element("x")).xpath("//x:nav[@id='toc']//x:a", namespaces={"x": XHTML}):
                    out["toc"].append(a.get("href"))
                    out["labels"].append("".join(a.itertext()).strip())
        print(json.dumps(out))
        """#

    /// Checks an EPUB file (`mode` epub) or a folder of HTML files (`mode` html); needs
    /// `.needs(.lxml)` on the test.
    static func check(_ mode: String, _ target: URL) throws -> Result {
        let output = try Python.run(self.script, [mode, target.path])
        guard let line = output.split(separator: "\n").last else { throw CheckerFailed(output: output) }
        return try JSONDecoder().decode(Result.self, from: Data(line.utf8))
    }

    struct CheckerFailed: Error, CustomStringConvertible {
        var output: String
        var description: String { "link checker printed no result: \(self.output)" }
    }
}
