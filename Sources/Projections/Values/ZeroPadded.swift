extension String {
    /// `number` in decimal, zero-padded to `width` digits: the parts of view keys that sort by
    /// number (a slice, a key number, a VLAN, a record). Written in place, so a part of up to
    /// 15 digits needs no allocation.
    init(zeroPadded number: UInt64, width: Int) {
        self.init(unsafeUninitializedCapacity: Swift.max(width, 20)) { digits in
            var rest = number, count = 1
            while rest >= 10 {
                rest /= 10
                count += 1
            }
            let total = Swift.max(width, count)
            var end = total, remaining = number
            for position in 0..<total - count { digits[position] = UInt8(ascii: "0") }
            repeat {
                end -= 1
                digits[end] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
            } while remaining != 0
            return total
        }
    }
}

extension String {
    /// ``init(zeroPadded:width:)-(UInt64,_)`` for a signed number; a negative one (which only a
    /// hand-made record could carry) is its magnitude after a minus sign.
    init(zeroPadded number: Int64, width: Int) {
        self = number < 0 ? "-" + String(zeroPadded: number.magnitude, width: width) : String(zeroPadded: UInt64(number), width: width)
    }
}
