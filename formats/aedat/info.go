package aedat

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
)

// The AEDAT 4.0 info node is DV's configuration-tree XML (iniVation AEDAT
// 4.0, "infoNode"):
//
//	<dv version="2.0">
//	  <node name="outInfo" path="/…/outInfo/">
//	    <node name="0" path="/…/outInfo/0/">
//	      <attr key="typeIdentifier" type="string">EVTS</attr>
//	      <node name="info" …>
//	        <attr key="sizeX" type="int">320</attr> …
//
// Each child of outInfo is a stream named by its numeric id.

type xmlAttr struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

type xmlNode struct {
	Name  string    `xml:"name,attr"`
	Attrs []xmlAttr `xml:"attr"`
	Nodes []xmlNode `xml:"node"`
}

// parseInfo returns the streams the info node declares, in document order.
func parseInfo(info []byte) ([]Stream, error) {
	info = bytes.TrimRight(info, "\x00")
	if len(bytes.TrimSpace(info)) == 0 {
		return nil, nil
	}
	var root xmlNode
	if err := xml.Unmarshal(info, &root); err != nil {
		return nil, err
	}
	var out []Stream
	for _, top := range root.Nodes {
		if top.Name != "outInfo" {
			continue
		}
		for _, sn := range top.Nodes {
			id, err := strconv.ParseInt(sn.Name, 10, 32)
			if err != nil {
				return out, fmt.Errorf("stream node name %q is not an id", sn.Name)
			}
			s := Stream{ID: int32(id)}
			for _, a := range sn.Attrs {
				switch a.Key {
				case "typeIdentifier":
					s.Type = a.Value
				case "originalOutputName":
					s.Name = a.Value
				}
			}
			for _, in := range sn.Nodes {
				if in.Name != "info" {
					continue
				}
				for _, a := range in.Attrs {
					var err error
					switch a.Key {
					case "sizeX":
						s.Width, err = parseSize(a.Value)
					case "sizeY":
						s.Height, err = parseSize(a.Value)
					case "source":
						s.Source = a.Value
					case "tsOffset":
						s.TSOffset, err = strconv.ParseInt(a.Value, 10, 64)
					}
					if err != nil {
						return out, fmt.Errorf("stream %d: %s = %q: %v", id, a.Key, a.Value, err)
					}
				}
			}
			out = append(out, s)
		}
	}
	return out, nil
}

// parseSize reads a sensor dimension: 0 … 65535 (events carry int16 x, y).
func parseSize(v string) (int, error) {
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil {
		return 0, err
	}
	if n < 0 || n > 65535 {
		return 0, fmt.Errorf("out of range")
	}
	return int(n), nil
}
