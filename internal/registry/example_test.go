package registry_test

import (
	"fmt"

	"github.com/neurotab/neurotab/internal/registry"
)

func ExampleRegistry_Lookup() {
	r := registry.New[string]("source")
	r.Add("Dag2023", "Dag et al. 2023")
	r.Add("aedat31", "AEDAT 3.1", "aedat3")
	v, _ := r.Lookup("dag2023")
	fmt.Println(v)
	_, err := r.Lookup("Dag2032")
	fmt.Println(err)
	// Output:
	// Dag et al. 2023
	// unknown source "Dag2032" (did you mean "Dag2023"?); known: Dag2023, aedat31
}
