package mat

// Class is a MATLAB array class: what class(x) returns in MATLAB. It is the
// same for v5 (the mx class byte plus the logical flag) and v7.3 (the
// MATLAB_class attribute).
type Class uint8

// The MATLAB classes. Sparse is not a class: a sparse matrix has class
// double or logical (see Sparse).
const (
	ClassUnknown        Class = iota
	ClassDouble               // double
	ClassSingle               // single
	ClassInt8                 // int8
	ClassUint8                // uint8
	ClassInt16                // int16
	ClassUint16               // uint16
	ClassInt32                // int32
	ClassUint32               // uint32
	ClassInt64                // int64
	ClassUint64               // uint64
	ClassLogical              // logical
	ClassChar                 // char
	ClassCell                 // cell
	ClassStruct               // struct
	ClassObject               // an old-style (class-directory) object; the class name is in Object.ClassName
	ClassFunctionHandle       // function_handle (not decoded)
	ClassOpaque               // MCOS objects such as table, string, datetime (not decoded)
)

var classNames = [...]string{
	ClassUnknown:        "unknown",
	ClassDouble:         "double",
	ClassSingle:         "single",
	ClassInt8:           "int8",
	ClassUint8:          "uint8",
	ClassInt16:          "int16",
	ClassUint16:         "uint16",
	ClassInt32:          "int32",
	ClassUint32:         "uint32",
	ClassInt64:          "int64",
	ClassUint64:         "uint64",
	ClassLogical:        "logical",
	ClassChar:           "char",
	ClassCell:           "cell",
	ClassStruct:         "struct",
	ClassObject:         "object",
	ClassFunctionHandle: "function_handle",
	ClassOpaque:         "opaque",
}

// String returns MATLAB's name of the class ("double", "int16", "cell", …).
func (c Class) String() string {
	if int(c) < len(classNames) {
		return classNames[c]
	}
	return "unknown"
}

// IsNumeric reports whether c is one of the ten numeric classes (double,
// single, int8 … uint64).
func (c Class) IsNumeric() bool { return c >= ClassDouble && c <= ClassUint64 }

// ParseClass returns the class named s as MATLAB spells it (the value of a
// v7.3 MATLAB_class attribute), and false for an unknown name.
func ParseClass(s string) (Class, bool) {
	for c, n := range classNames {
		if n == s && Class(c) != ClassUnknown {
			return Class(c), true
		}
	}
	return ClassUnknown, false
}
