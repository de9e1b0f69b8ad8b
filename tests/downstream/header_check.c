/* nn.h alone must compile as strict C99 and as C++ (see install_test.sh). */
#include <nn/nn.h>

int main(void)
{
	return nn_strerror(NN_OK)[0] == 's' ? 0 : 1;
}
