import Signing

/// `output-format=json`: a canonical JSON array of objects, one line.
enum JSONOutput {
    static func render(_ rows: [JSONValue]) -> String {
        String(decoding: CanonicalJSON.encode(.array(rows)), as: UTF8.self)
    }
}
